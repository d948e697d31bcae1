//! What the form pages share: a refused field, how it is shown, and the
//! options of a select.

/// A problem with a form: the field as the API names it (`title`,
/// `competencies[2].weight`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

pub(crate) struct ErrorView {
    pub(crate) field: String,
    pub(crate) message: String,
}

impl From<&FieldError> for ErrorView {
    fn from(error: &FieldError) -> ErrorView {
        ErrorView {
            field: error.field.clone(),
            message: error.message.clone(),
        }
    }
}

pub(crate) struct OptionView {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}
