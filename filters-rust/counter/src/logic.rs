//! Configuration of `counter` (pure; the CAS loop is `pwtck_common::cas_add`).

use pwtck_common::{parse_config, string_field, ConfigError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub key: String,
    pub metric: String,
    /// Lower-cased.
    pub header: String,
}

pub fn parse(bytes: &[u8]) -> Result<Config, ConfigError> {
    let root = parse_config(bytes)?;
    let root = root.as_ref();
    Ok(Config {
        key: string_field(root, "key", "key", Some("pwtck.counter"), true)?,
        metric: string_field(root, "metric", "metric", Some("pwtck_requests"), true)?,
        header: string_field(root, "header", "header", Some("x-pwtck-count"), true)?.to_ascii_lowercase(),
    })
}

/// The response header value: the new count, or `cas-exhausted`.
pub fn header_value(count: Option<u64>) -> String {
    match count {
        Some(n) => n.to_string(),
        None => "cas-exhausted".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let want =
            Config { key: "pwtck.counter".into(), metric: "pwtck_requests".into(), header: "x-pwtck-count".into() };
        assert_eq!(parse(b"").unwrap(), want);
        assert_eq!(parse(b"{}").unwrap(), want);
        let c = parse(br#"{"key": "k", "metric": "m", "header": "X-H"}"#).unwrap();
        assert_eq!((c.key.as_str(), c.metric.as_str(), c.header.as_str()), ("k", "m", "x-h"));
    }

    #[test]
    fn bad_configs() {
        assert_eq!(parse(br#"{"key": ""}"#).unwrap_err().to_string(), "key: must be a non-empty string");
        assert_eq!(parse(br#"{"metric": 3}"#).unwrap_err().to_string(), "metric: must be a non-empty string");
        assert_eq!(parse(br#"{"header": []}"#).unwrap_err().to_string(), "header: must be a non-empty string");
    }

    #[test]
    fn header_values() {
        assert_eq!(header_value(Some(12)), "12");
        assert_eq!(header_value(None), "cas-exhausted");
    }
}
