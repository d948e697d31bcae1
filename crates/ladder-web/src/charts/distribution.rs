//! The score distribution of a job spec's interviews: ten buckets as bars.

/// The score distribution as inline SVG geometry.
pub(crate) struct DistributionChart {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) baseline: u32,
    pub(crate) desc: String,
    pub(crate) bars: Vec<DistributionBar>,
}

pub(crate) struct DistributionBar {
    pub(crate) x: u32,
    pub(crate) y: u32,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) label: String,
    pub(crate) label_x: u32,
    pub(crate) count: u64,
    pub(crate) count_y: u32,
}

const BUCKET_LABELS: [&str; 10] = [
    "0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90–100",
];

pub(crate) fn distribution_chart(distribution: &[u64]) -> DistributionChart {
    const SLOT: u32 = 48;
    const BAR: u32 = 32;
    const TOP: u32 = 20;
    const PLOT: u32 = 120;
    let max = distribution.iter().copied().max().unwrap_or(0).max(1);
    let baseline = TOP + PLOT;
    let mut parts = Vec::new();
    let bars = BUCKET_LABELS
        .iter()
        .enumerate()
        .map(|(index, label)| {
            let count = distribution.get(index).copied().unwrap_or(0);
            parts.push(format!("{label}: {count}"));
            // Whole pixels; a non-empty bucket is always at least 2px tall.
            let height = u32::try_from(count.saturating_mul(u64::from(PLOT)) / max)
                .unwrap_or(PLOT)
                .max(if count > 0 { 2 } else { 0 });
            let x = u32::try_from(index).unwrap_or(0) * SLOT + (SLOT - BAR) / 2;
            DistributionBar {
                x,
                y: baseline - height,
                width: BAR,
                height,
                label: (*label).to_string(),
                label_x: x + BAR / 2,
                count,
                count_y: baseline - height - 4,
            }
        })
        .collect();
    DistributionChart {
        width: SLOT * 10,
        height: baseline + 24,
        baseline,
        desc: format!("Scored interviews by overall score. {}.", parts.join(", ")),
        bars,
    }
}
