//! Recorded answers (PRODUCT.md §3): which audio Ladder accepts, decided from
//! both what the client declares (its `Content-Type`) and what the bytes are
//! (their magic numbers). Pure: the server reads the bytes, this decides.

/// An accepted audio container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AudioKind {
    /// Matroska/WebM (EBML header `1A 45 DF A3`): Chromium's and Firefox's
    /// MediaRecorder.
    Webm,
    /// Ogg (`OggS`): Firefox's MediaRecorder with Opus.
    Ogg,
    /// ISO base media (`ftyp` at offset 4): Safari's MediaRecorder, `.m4a`.
    Mp4,
    /// MPEG audio: an ID3 tag or an MPEG frame sync (`FF Ex`).
    Mpeg,
    /// RIFF/WAVE (`RIFF....WAVE`).
    Wav,
}

impl AudioKind {
    pub const ALL: [AudioKind; 5] = [
        AudioKind::Webm,
        AudioKind::Ogg,
        AudioKind::Mp4,
        AudioKind::Mpeg,
        AudioKind::Wav,
    ];

    /// The media type Ladder stores and serves.
    pub fn content_type(self) -> &'static str {
        match self {
            AudioKind::Webm => "audio/webm",
            AudioKind::Ogg => "audio/ogg",
            AudioKind::Mp4 => "audio/mp4",
            AudioKind::Mpeg => "audio/mpeg",
            AudioKind::Wav => "audio/wav",
        }
    }

    /// The file extension of stored blobs.
    pub fn extension(self) -> &'static str {
        match self {
            AudioKind::Webm => "webm",
            AudioKind::Ogg => "ogg",
            AudioKind::Mp4 => "m4a",
            AudioKind::Mpeg => "mp3",
            AudioKind::Wav => "wav",
        }
    }

    /// The kind a declared media type names: parameters (`;codecs=opus`)
    /// and case are ignored. Only the five accepted types are known.
    pub fn from_content_type(declared: &str) -> Option<AudioKind> {
        let base = declared
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        AudioKind::ALL
            .into_iter()
            .find(|kind| kind.content_type() == base)
    }

    /// What the first bytes of a file say it is, if it is one of the five.
    pub fn sniff(bytes: &[u8]) -> Option<AudioKind> {
        if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
            Some(AudioKind::Webm)
        } else if bytes.starts_with(b"OggS") {
            Some(AudioKind::Ogg)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WAVE" {
            Some(AudioKind::Wav)
        } else if bytes.len() >= 8 && &bytes[4..8] == b"ftyp" {
            Some(AudioKind::Mp4)
        } else if bytes.starts_with(b"ID3")
            || (bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
        {
            Some(AudioKind::Mpeg)
        } else {
            None
        }
    }
}

/// The accepted media types, for messages: "audio/webm, audio/ogg, …".
pub fn accepted_types() -> String {
    AudioKind::ALL
        .iter()
        .map(|kind| kind.content_type())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a recording is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioProblem {
    /// No `Content-Type`, or one that is not an accepted audio type.
    UnsupportedType {
        declared: Option<String>,
    },
    /// The declared type is accepted, but the bytes are something else.
    Mismatch {
        declared: AudioKind,
        found: Option<AudioKind>,
        /// The first bytes, in hex, as received.
        head: String,
    },
    Empty,
}

impl std::fmt::Display for AudioProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AudioProblem::UnsupportedType { declared: None } => write!(
                f,
                "the recording was sent without a Content-Type; send it as one of {}",
                accepted_types()
            ),
            AudioProblem::UnsupportedType {
                declared: Some(declared),
            } => write!(
                f,
                "the recording was sent as {declared:?}, which is not accepted; send one of {}",
                accepted_types()
            ),
            AudioProblem::Mismatch {
                declared,
                found: Some(found),
                ..
            } => write!(
                f,
                "the recording was declared as {} but its bytes are {}; send it with Content-Type: {}",
                declared.content_type(),
                found.content_type(),
                found.content_type()
            ),
            AudioProblem::Mismatch {
                declared, head, ..
            } => write!(
                f,
                "the recording was declared as {} but its bytes (starting {head}) are not audio Ladder accepts; send one of {}",
                declared.content_type(),
                accepted_types()
            ),
            AudioProblem::Empty => write!(f, "the recording is empty"),
        }
    }
}

/// The kind of a recording when the declared type is accepted and the bytes
/// agree with it.
pub fn check(declared: Option<&str>, bytes: &[u8]) -> Result<AudioKind, AudioProblem> {
    let kind = declared
        .and_then(AudioKind::from_content_type)
        .ok_or_else(|| AudioProblem::UnsupportedType {
            declared: declared.map(str::to_string),
        })?;
    if bytes.is_empty() {
        return Err(AudioProblem::Empty);
    }
    let found = AudioKind::sniff(bytes);
    if found != Some(kind) {
        let head: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02X}")).collect();
        return Err(AudioProblem::Mismatch {
            declared: kind,
            found,
            head: head.join(" "),
        });
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_known_by_its_magic_bytes() {
        let webm = [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81];
        assert_eq!(AudioKind::sniff(&webm), Some(AudioKind::Webm));
        assert_eq!(AudioKind::sniff(b"OggS\0\x02"), Some(AudioKind::Ogg));
        assert_eq!(
            AudioKind::sniff(b"RIFF\x24\x08\0\0WAVEfmt "),
            Some(AudioKind::Wav)
        );
        assert_eq!(AudioKind::sniff(b"RIFF\x24\x08\0\0AVI "), None);
        assert_eq!(
            AudioKind::sniff(b"\0\0\0\x20ftypM4A \0\0"),
            Some(AudioKind::Mp4)
        );
        assert_eq!(AudioKind::sniff(b"ID3\x04\0"), Some(AudioKind::Mpeg));
        assert_eq!(
            AudioKind::sniff(&[0xFF, 0xFB, 0x90, 0x64]),
            Some(AudioKind::Mpeg)
        );
        assert_eq!(AudioKind::sniff(&[0xFF, 0x1B]), None);
        assert_eq!(AudioKind::sniff(b"<html>"), None);
        assert_eq!(AudioKind::sniff(b""), None);
    }

    #[test]
    fn declared_types_ignore_parameters_and_case() {
        assert_eq!(
            AudioKind::from_content_type("audio/webm;codecs=opus"),
            Some(AudioKind::Webm)
        );
        assert_eq!(
            AudioKind::from_content_type(" Audio/OGG ; codecs=opus"),
            Some(AudioKind::Ogg)
        );
        assert_eq!(AudioKind::from_content_type("video/webm"), None);
        assert_eq!(AudioKind::from_content_type("audio/flac"), None);
    }

    #[test]
    fn type_and_bytes_must_agree() {
        let ogg = b"OggS\0\x02\0\0";
        assert_eq!(check(Some("audio/ogg"), ogg), Ok(AudioKind::Ogg));
        let mismatch = check(Some("audio/webm"), ogg).expect_err("mismatch");
        assert!(
            mismatch
                .to_string()
                .contains("declared as audio/webm but its bytes are audio/ogg"),
            "{mismatch}"
        );
        let html = check(Some("audio/wav"), b"<html><body>").expect_err("not audio");
        assert!(
            html.to_string().contains("3C 68 74 6D 6C 3E 3C 62"),
            "{html}"
        );
        let unknown = check(Some("application/pdf"), ogg).expect_err("type");
        assert!(
            unknown.to_string().contains("\"application/pdf\""),
            "{unknown}"
        );
        assert!(unknown
            .to_string()
            .contains("audio/webm, audio/ogg, audio/mp4, audio/mpeg, audio/wav"));
        assert_eq!(
            check(None, ogg),
            Err(AudioProblem::UnsupportedType { declared: None })
        );
        assert_eq!(check(Some("audio/ogg"), b""), Err(AudioProblem::Empty));
    }
}
