//! What the form pages share: a refused field and how it is shown.

/// A problem with a form: the field as the API names it (`title`,
/// `competencies[2].weight`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}
