//! The example frameworks shipped inside the binary (source files in the
//! repository's `frameworks/` directory). The demo data and many tests use them.

pub struct BundledFramework {
    pub file_name: &'static str,
    pub text: &'static str,
}

pub const FRAMEWORKS: &[BundledFramework] = &[
    BundledFramework {
        file_name: "backend.md",
        text: include_str!("../../../frameworks/backend.md"),
    },
    BundledFramework {
        file_name: "generic.md",
        text: include_str!("../../../frameworks/generic.md"),
    },
    BundledFramework {
        file_name: "frontend.md",
        text: include_str!("../../../frameworks/frontend.md"),
    },
];

/// A job spec shipped inside the binary (source files in the repository's
/// `jobspecs/` directory), loaded on first start next to the example frameworks.
pub struct BundledJobSpec {
    pub file_name: &'static str,
    pub text: &'static str,
}

pub const JOB_SPECS: &[BundledJobSpec] = &[BundledJobSpec {
    file_name: "senior-backend-payments.yaml",
    text: include_str!("../../../jobspecs/senior-backend-payments.yaml"),
}];
