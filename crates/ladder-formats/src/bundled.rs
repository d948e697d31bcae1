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
