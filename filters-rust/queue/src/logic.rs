//! Configuration of `queue` (pure).

use pwtck_common::{int_field, parse_config, string_field, ConfigError};

pub const RECEIVED_KEY: &str = "pwtck.queue.received";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub queue: String,
    pub tick_millis: u32,
    /// Lower-cased.
    pub header: String,
}

pub fn parse(bytes: &[u8]) -> Result<Config, ConfigError> {
    let root = parse_config(bytes)?;
    let root = root.as_ref();
    Ok(Config {
        queue: string_field(root, "queue", "queue", Some("pwtck.queue"), true)?,
        tick_millis: int_field(root, "tickMillis", "tickMillis", 50, 1, u32::MAX as i128)? as u32,
        header: string_field(root, "header", "header", Some("x-pwtck-queue"), true)?.to_ascii_lowercase(),
    })
}

/// The n-th message (n from 1).
pub fn message(n: u64) -> String {
    format!("tick-{}", n)
}

/// The response header value for the shared-data value (`0` when absent).
pub fn received_value(value: Option<&[u8]>) -> String {
    pwtck_common::parse_count(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_fields() {
        let want = Config { queue: "pwtck.queue".into(), tick_millis: 50, header: "x-pwtck-queue".into() };
        assert_eq!(parse(b"").unwrap(), want);
        assert_eq!(parse(b"{}").unwrap(), want);
        let c = parse(br#"{"queue": "q", "tickMillis": 1, "header": "X-Q"}"#).unwrap();
        assert_eq!(c, Config { queue: "q".into(), tick_millis: 1, header: "x-q".into() });
    }

    #[test]
    fn bad_configs() {
        assert_eq!(parse(br#"{"queue": ""}"#).unwrap_err().to_string(), "queue: must be a non-empty string");
        assert_eq!(
            parse(br#"{"tickMillis": 1.5}"#).unwrap_err().to_string(),
            "tickMillis: must be an integer between 1 and 4294967295"
        );
        assert_eq!(
            parse(br#"{"tickMillis": 0}"#).unwrap_err().to_string(),
            "tickMillis: must be an integer between 1 and 4294967295"
        );
        assert_eq!(
            parse(br#"{"header": null, "queue": 1}"#).unwrap_err().to_string(),
            "queue: must be a non-empty string"
        );
    }

    #[test]
    fn messages_and_values() {
        assert_eq!(message(1), "tick-1");
        assert_eq!(received_value(None), "0");
        assert_eq!(received_value(Some(b"17")), "17");
    }
}
