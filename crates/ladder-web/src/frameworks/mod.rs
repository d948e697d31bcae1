//! Framework pages (PRODUCT.md §1): the list of frameworks, one framework's
//! levels, topics and behaviours, what one level adds over another, and
//! search across every framework's behaviours.

mod compare;
mod framework;
mod home;
mod search;

#[cfg(test)]
pub(crate) mod tests;

pub use compare::compare;
pub use framework::{framework, SharedTopic, VersionRow};
pub use home::{home, FrameworkFacts};
pub use search::{search, SearchHitView};
