//! Progression pages (PRODUCT.md §4): the people list with the placement
//! form, a person's progress (standing, target, per-topic table, skill wheel,
//! timeline, missing behaviours, disagreements, history, assessments) and the
//! assessment editor.
//!
//! As elsewhere in this crate, the host hands over plain values (the
//! framework model, the computed `Progress`) and decisions are made here in
//! Rust; templates only print. Nothing here recomputes a level: standings,
//! shares and missing behaviours come from `ladder_core::progression`. The
//! two charts (skill wheel, timeline) are geometry from `crate::charts`.

mod assessment;
mod list;
mod person;
mod place_form;
mod rule;

#[cfg(test)]
mod tests;

pub use assessment::{assessment, AssessmentView, MarkValue};
pub use list::{people_list, PersonRow};
pub use person::{
    person, AssessmentRow, ChangeNotice, PersonView, PlacementRow, PlacementSummary,
    ProgressSection, StartButton,
};
pub use place_form::{Choice, FrameworkChoice, PlaceForm, PlaceInput};
pub use rule::sublevel_bands;

use ladder_core::progression::Rating;

use crate::format::encode_component;

fn person_href(id: &str) -> String {
    format!("/people/{}", encode_component(id))
}

fn assessment_href(person_id: &str, assessment_id: &str) -> String {
    format!(
        "{}/assessments/{}",
        person_href(person_id),
        encode_component(assessment_id)
    )
}

fn export_href(person_id: &str, assessment_id: &str, format: &str) -> String {
    format!(
        "/api/v1/people/{}/assessments/{}/export?format={format}",
        encode_component(person_id),
        encode_component(assessment_id)
    )
}

fn rating_class(rating: Option<Rating>) -> &'static str {
    match rating {
        None => "unrated",
        Some(rating) => rating.as_str(),
    }
}
