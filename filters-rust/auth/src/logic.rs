//! Configuration and decision of `auth` (pure).

use pwtck_common::{int_field, parse_config, string_field, string_list_field, ConfigError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Lower-cased.
    pub header: String,
    pub values: Vec<String>,
    pub status: u32,
    pub body: String,
}

pub fn parse(bytes: &[u8]) -> Result<Config, ConfigError> {
    let root = parse_config(bytes)?;
    let root = root.as_ref();
    let header = string_field(root, "header", "header", None, true)?.to_ascii_lowercase();
    let values = match string_list_field(root, "values", "values") {
        Ok(Some(v)) if !v.is_empty() => v,
        _ => return Err(ConfigError::new("values", "must be a non-empty array of strings")),
    };
    let status = int_field(root, "status", "status", 403, 100, 599)? as u32;
    let body = string_field(root, "body", "body", Some("forbidden"), false)?;
    Ok(Config { header, values, status, body })
}

/// True when the request may continue.
pub fn allowed(config: &Config, header_value: Option<&str>) -> bool {
    matches!(header_value, Some(v) if config.values.iter().any(|ok| ok == v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_fields() {
        let c = parse(br#"{"header": "X-Api-Key", "values": ["secret"]}"#).unwrap();
        assert_eq!(
            c,
            Config { header: "x-api-key".into(), values: vec!["secret".into()], status: 403, body: "forbidden".into() }
        );
        let c = parse(br#"{"header": "h", "values": ["a", "b"], "status": 401, "body": ""}"#).unwrap();
        assert_eq!((c.status, c.body.as_str(), c.values.len()), (401, "", 2));
    }

    #[test]
    fn bad_configs() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "header: must be a non-empty string"),
            (br#"{"values": ["x"]}"#, "header: must be a non-empty string"),
            (br#"{"header": "", "values": ["x"]}"#, "header: must be a non-empty string"),
            (br#"{"header": "h"}"#, "values: must be a non-empty array of strings"),
            (br#"{"header": "h", "values": []}"#, "values: must be a non-empty array of strings"),
            (br#"{"header": "h", "values": [1]}"#, "values: must be a non-empty array of strings"),
            (br#"{"header": "h", "values": ["x"], "status": 99}"#, "status: must be an integer between 100 and 599"),
            (br#"{"header": "h", "values": ["x"], "body": 1}"#, "body: must be a string"),
        ];
        for (src, want) in cases {
            assert_eq!(parse(src).unwrap_err().to_string(), *want);
        }
    }

    #[test]
    fn decision() {
        let c = parse(br#"{"header": "x-api-key", "values": ["secret", "other"]}"#).unwrap();
        assert!(allowed(&c, Some("secret")));
        assert!(allowed(&c, Some("other")));
        assert!(!allowed(&c, Some("Secret")));
        assert!(!allowed(&c, Some("")));
        assert!(!allowed(&c, None));
    }
}
