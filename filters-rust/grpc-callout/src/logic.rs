//! Configuration and result headers of `grpc-callout` (pure).

use pwtck_common::{hex, int_field, parse_config, string_field, ConfigError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub cluster: String,
    pub service: String,
    pub method: String,
    pub timeout_millis: u32,
}

pub fn parse(bytes: &[u8]) -> Result<Config, ConfigError> {
    let root = parse_config(bytes)?;
    let root = root.as_ref();
    Ok(Config {
        cluster: string_field(root, "cluster", "cluster", None, true)?,
        service: string_field(root, "service", "service", Some("grpc.health.v1.Health"), true)?,
        method: string_field(root, "method", "method", Some("Check"), true)?,
        timeout_millis: int_field(root, "timeoutMillis", "timeoutMillis", 5000, 0, i32::MAX as i128)? as u32,
    })
}

pub const STATUS_HEADER: &str = "x-pwtck-grpc-status";
pub const MESSAGE_HEADER: &str = "x-pwtck-grpc-message";

/// Request headers to add for a call outcome: the gRPC status and, when a message was received,
/// the message as lower-case hex.
pub fn result_headers(status: u32, message: Option<&[u8]>) -> Vec<(&'static str, String)> {
    let mut out = vec![(STATUS_HEADER, status.to_string())];
    if let Some(m) = message {
        out.push((MESSAGE_HEADER, hex(m)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_errors() {
        let c = parse(br#"{"cluster": "grpc"}"#).unwrap();
        assert_eq!(
            c,
            Config {
                cluster: "grpc".into(),
                service: "grpc.health.v1.Health".into(),
                method: "Check".into(),
                timeout_millis: 5000
            }
        );
        assert_eq!(parse(b"").unwrap_err().to_string(), "cluster: must be a non-empty string");
        assert_eq!(
            parse(br#"{"cluster": "g", "method": ""}"#).unwrap_err().to_string(),
            "method: must be a non-empty string"
        );
        assert_eq!(
            parse(br#"{"cluster": "g", "timeoutMillis": 2147483648}"#).unwrap_err().to_string(),
            "timeoutMillis: must be an integer between 0 and 2147483647"
        );
    }

    #[test]
    fn headers_for_outcomes() {
        assert_eq!(
            result_headers(0, Some(&[0x08, 0x01])),
            vec![(STATUS_HEADER, "0".to_string()), (MESSAGE_HEADER, "0801".to_string())]
        );
        assert_eq!(result_headers(14, None), vec![(STATUS_HEADER, "14".to_string())]);
        assert_eq!(
            result_headers(0, Some(&[])),
            vec![(STATUS_HEADER, "0".to_string()), (MESSAGE_HEADER, String::new())]
        );
    }
}
