use askama::Template;

use crate::charts::{distribution_chart, DistributionChart};
use crate::format::job_spec_href;
use crate::view::{render, Layout, Page};

/// Figures of all interviews, or of one version's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiguresView {
    pub interviews: u64,
    pub completed: u64,
    /// "66% · 2 of 3".
    pub completion: String,
    /// "74.0" or "—".
    pub avg_score: String,
    pub competencies: Vec<CompetencyFigure>,
    /// Ten buckets: 0–9.9, 10–19.9, …, 90–100.
    pub distribution: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetencyFigure {
    pub id: String,
    pub name: String,
    /// "0.35".
    pub weight: String,
    /// "80.0", or `None` when no interview was scored on it.
    pub avg: Option<String>,
    pub n: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFigureRow {
    pub version: u32,
    pub label: Option<String>,
    pub figures: FiguresView,
}

#[derive(Debug, Clone, Copy)]
pub struct PerformanceView<'a> {
    pub job_spec_id: &'a str,
    pub title: &'a str,
    /// The version asked for, or `None` for all versions.
    pub version: Option<u32>,
    pub figures: &'a FiguresView,
    pub versions: &'a [VersionFigureRow],
}

#[derive(Template)]
#[template(path = "interviews/performance.html")]
struct PerformanceTemplate<'a> {
    layout: Layout<'a>,
    title: &'a str,
    spec_href: String,
    interviews_href: String,
    scope: String,
    all_href: Option<String>,
    figures: &'a FiguresView,
    competencies: Vec<CompetencyLine<'a>>,
    chart: DistributionChart,
    versions: Vec<VersionLine<'a>>,
}

struct CompetencyLine<'a> {
    id: &'a str,
    name: &'a str,
    weight: &'a str,
    avg: &'a str,
    n: u64,
}

struct VersionLine<'a> {
    href: String,
    name: String,
    selected: bool,
    figures: &'a FiguresView,
}

fn version_name(version: u32, label: Option<&str>) -> String {
    label.map_or_else(|| format!("v{version}"), str::to_string)
}

/// A job spec's live performance: all versions, or one with `view.version`.
pub fn performance(page: &Page, view: &PerformanceView) -> String {
    let href = job_spec_href(view.job_spec_id);
    let performance_href = format!("{href}/performance");
    let scope = match view.version {
        None => "All published versions".to_string(),
        Some(number) => {
            let label = view
                .versions
                .iter()
                .find(|v| v.version == number)
                .and_then(|v| v.label.as_deref());
            format!("Version {}", version_name(number, label))
        }
    };
    render(&PerformanceTemplate {
        layout: Layout::new(page),
        title: view.title,
        interviews_href: format!("{href}/interviews"),
        spec_href: href,
        scope,
        all_href: view.version.map(|_| performance_href.clone()),
        figures: view.figures,
        competencies: view
            .figures
            .competencies
            .iter()
            .map(|c| CompetencyLine {
                id: &c.id,
                name: &c.name,
                weight: &c.weight,
                avg: c.avg.as_deref().unwrap_or("—"),
                n: c.n,
            })
            .collect(),
        chart: distribution_chart(&view.figures.distribution),
        versions: view
            .versions
            .iter()
            .map(|v| VersionLine {
                href: format!("{performance_href}?version={}", v.version),
                name: version_name(v.version, v.label.as_deref()),
                selected: view.version == Some(v.version),
                figures: &v.figures,
            })
            .collect(),
    })
}
