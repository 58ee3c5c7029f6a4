//! Configuration and body operations of `body` (pure).

use pwtck_common::json::Value;
use pwtck_common::{object_field, parse_config, ConfigError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Replace,
    Append,
    Prepend,
    Upper,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub op: Op,
    /// Empty for `upper`.
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub request: Option<Side>,
    pub response: Option<Side>,
}

fn side(root: Option<&Value>, name: &str) -> Result<Option<Side>, ConfigError> {
    let obj = match object_field(root, name, name)? {
        None => return Ok(None),
        Some(o) => o,
    };
    let op = match obj.get("op").and_then(Value::as_str) {
        Some("replace") => Op::Replace,
        Some("append") => Op::Append,
        Some("prepend") => Op::Prepend,
        Some("upper") => Op::Upper,
        _ => return Err(ConfigError::new(format!("{}.op", name), "must be one of replace, append, prepend, upper")),
    };
    let value = match op {
        Op::Upper => String::new(),
        _ => match obj.get("value") {
            Some(Value::String(s)) => s.clone(),
            _ => return Err(ConfigError::new(format!("{}.value", name), "must be a string")),
        },
    };
    Ok(Some(Side { op, value }))
}

pub fn parse(bytes: &[u8]) -> Result<Config, ConfigError> {
    let root = parse_config(bytes)?;
    let root = root.as_ref();
    Ok(Config { request: side(root, "request")?, response: side(root, "response")? })
}

/// The new body.
pub fn apply(side: &Side, body: &[u8]) -> Vec<u8> {
    let value = side.value.as_bytes();
    match side.op {
        Op::Replace => value.to_vec(),
        Op::Append => [body, value].concat(),
        Op::Prepend => [value, body].concat(),
        Op::Upper => body.to_ascii_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_sides() {
        let c = parse(br#"{"request": {"op": "replace", "value": "hello"}, "response": {"op": "upper"}}"#).unwrap();
        assert_eq!(c.request, Some(Side { op: Op::Replace, value: "hello".into() }));
        assert_eq!(c.response, Some(Side { op: Op::Upper, value: String::new() }));
        assert_eq!(parse(b"").unwrap(), Config::default());
        assert_eq!(parse(b"{}").unwrap(), Config::default());
        let c = parse(br#"{"response": {"op": "prepend", "value": ""}}"#).unwrap();
        assert_eq!((c.request, c.response.unwrap().op), (None, Op::Prepend));
    }

    #[test]
    fn bad_configs() {
        let cases: &[(&[u8], &str)] = &[
            (br#"{"request": {"op": "lower"}}"#, "request.op: must be one of replace, append, prepend, upper"),
            (br#"{"request": {}}"#, "request.op: must be one of replace, append, prepend, upper"),
            (br#"{"response": {"op": "append"}}"#, "response.value: must be a string"),
            (br#"{"response": {"op": "replace", "value": 5}}"#, "response.value: must be a string"),
            (br#"{"response": "upper"}"#, "response: must be an object"),
            (b"[]", "config: must be a JSON object"),
        ];
        for (src, want) in cases {
            assert_eq!(parse(src).unwrap_err().to_string(), *want);
        }
    }

    #[test]
    fn operations() {
        let s = |op, v: &str| Side { op, value: v.to_string() };
        assert_eq!(apply(&s(Op::Replace, "hello"), b"old body"), b"hello");
        assert_eq!(apply(&s(Op::Append, "!"), b"abc"), b"abc!");
        assert_eq!(apply(&s(Op::Prepend, ">"), b"abc"), b">abc");
        assert_eq!(apply(&s(Op::Upper, ""), "aBc-é\0z".as_bytes()), "ABC-é\0Z".as_bytes());
        assert_eq!(apply(&s(Op::Append, "x"), b""), b"x");
        assert_eq!(apply(&s(Op::Upper, ""), b""), b"");
    }
}
