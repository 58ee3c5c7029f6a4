//! Configuration, callout headers and response mapping of `org-product` (pure).

use pwtck_common::json::{self, Value};
use pwtck_common::{int_field, parse_config, string_field, ConfigError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub cluster: String,
    pub path: String,
    pub authority: String,
    pub timeout_millis: u32,
    /// `key → newKey`, sorted by key (as written; matched case-insensitively).
    pub mapping: Vec<(String, String)>,
}

pub fn parse(bytes: &[u8]) -> Result<Config, ConfigError> {
    let root = parse_config(bytes)?;
    let root = root.as_ref();
    let cluster = string_field(root, "cluster", "cluster", None, true)?;
    let path = string_field(root, "path", "path", Some("/headers"), true)?;
    let authority = string_field(root, "authority", "authority", Some(&cluster), true)?;
    let timeout_millis = int_field(root, "timeoutMillis", "timeoutMillis", 5000, 0, i32::MAX as i128)? as u32;
    let mapping = match pwtck_common::member(root, "responseMapping") {
        None => vec![("Org".to_string(), "X-Org".to_string()), ("Product".to_string(), "X-Product".to_string())],
        Some(_) => pwtck_common::string_map_field(root, "responseMapping", "responseMapping", false)?,
    };
    if mapping.iter().any(|(_, v)| v.is_empty()) {
        return Err(ConfigError::new("responseMapping", "must be an object of non-empty strings"));
    }
    Ok(Config { cluster, path, authority, timeout_millis, mapping })
}

/// The callout's headers: the request's headers with `:method GET`, `:path` and `:authority`
/// replaced (in place; appended when absent).
pub fn call_headers(request: &[(String, String)], config: &Config) -> Vec<(String, String)> {
    let overrides = [(":method", "GET"), (":path", config.path.as_str()), (":authority", config.authority.as_str())];
    let mut out: Vec<(String, String)> = Vec::with_capacity(request.len() + 3);
    let mut seen = [false; 3];
    for (k, v) in request {
        match overrides.iter().position(|(name, _)| k.eq_ignore_ascii_case(name)) {
            Some(i) => {
                if !seen[i] {
                    seen[i] = true;
                    out.push((overrides[i].0.to_string(), overrides[i].1.to_string()));
                }
            }
            None => out.push((k.clone(), v.clone())),
        }
    }
    for (i, (name, value)) in overrides.iter().enumerate() {
        if !seen[i] {
            out.push((name.to_string(), value.to_string()));
        }
    }
    out
}

/// One header move: remove request header `remove`, add `add` (lower-case) with `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub remove: String,
    pub add: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub moves: Vec<Move>,
    /// The first mapping key (in key order) that was missing.
    pub missing: Option<String>,
}

/// Maps an httpbin response body. Errors are the remembered reasons `bad json` and
/// `no headers object`.
pub fn map_response(body: &[u8], mapping: &[(String, String)]) -> Result<Mapped, String> {
    let doc = json::parse(body).map_err(|_| "bad json".to_string())?;
    let headers = match doc.get("headers") {
        Some(Value::Object(members)) => members,
        _ => return Err("no headers object".to_string()),
    };
    let mut mapped = Mapped { moves: Vec::new(), missing: None };
    for (key, new_key) in mapping {
        let found = headers.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v);
        let value = match found {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Array(items)) => items.first().and_then(Value::as_str).map(str::to_string),
            _ => None,
        };
        match value {
            Some(value) => mapped.moves.push(Move { remove: key.clone(), add: new_key.to_ascii_lowercase(), value }),
            None => {
                if mapped.missing.is_none() {
                    mapped.missing = Some(key.clone());
                }
            }
        }
    }
    Ok(mapped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn defaults() {
        let c = parse(br#"{"cluster": "httpbin"}"#).unwrap();
        assert_eq!(
            c,
            Config {
                cluster: "httpbin".into(),
                path: "/headers".into(),
                authority: "httpbin".into(),
                timeout_millis: 5000,
                mapping: s(&[("Org", "X-Org"), ("Product", "X-Product")]),
            }
        );
    }

    #[test]
    fn all_fields() {
        let c = parse(
            br#"{"cluster": "c", "path": "/get", "authority": "a.example", "timeoutMillis": 0,
                           "responseMapping": {"Tenant": "X-Tenant", "Org": "X-O"}, "extra": true}"#,
        )
        .unwrap();
        assert_eq!((c.path.as_str(), c.authority.as_str(), c.timeout_millis), ("/get", "a.example", 0));
        assert_eq!(c.mapping, s(&[("Org", "X-O"), ("Tenant", "X-Tenant")]));
    }

    #[test]
    fn bad_configs() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "cluster: must be a non-empty string"),
            (b"{}", "cluster: must be a non-empty string"),
            (br#"{"cluster": ""}"#, "cluster: must be a non-empty string"),
            (br#"{"cluster": 1}"#, "cluster: must be a non-empty string"),
            (br#"{"cluster": "c", "path": 1}"#, "path: must be a non-empty string"),
            (br#"{"cluster": "c", "timeoutMillis": -1}"#, "timeoutMillis: must be an integer between 0 and 2147483647"),
            (
                br#"{"cluster": "c", "timeoutMillis": "5"}"#,
                "timeoutMillis: must be an integer between 0 and 2147483647",
            ),
            (br#"{"cluster": "c", "responseMapping": {"Org": 1}}"#, "responseMapping: must be an object of strings"),
            (br#"{"cluster": "c", "responseMapping": []}"#, "responseMapping: must be an object of strings"),
            (
                br#"{"cluster": "c", "timeoutMillis": 2147483648}"#,
                "timeoutMillis: must be an integer between 0 and 2147483647",
            ),
            (
                br#"{"cluster": "c", "responseMapping": {"Org": ""}}"#,
                "responseMapping: must be an object of non-empty strings",
            ),
            (b"nope", "config: must be a JSON object"),
        ];
        for (src, want) in cases {
            assert_eq!(parse(src).unwrap_err().to_string(), *want, "{}", String::from_utf8_lossy(src));
        }
    }

    #[test]
    fn callout_headers_replace_pseudo_headers() {
        let c = parse(br#"{"cluster": "httpbin"}"#).unwrap();
        let req = s(&[
            (":authority", "front"),
            (":path", "/x?y"),
            (":method", "POST"),
            (":scheme", "http"),
            ("Org", "Field"),
            ("content-length", "3"),
        ]);
        assert_eq!(
            call_headers(&req, &c),
            s(&[
                (":authority", "httpbin"),
                (":path", "/headers"),
                (":method", "GET"),
                (":scheme", "http"),
                ("Org", "Field"),
                ("content-length", "3")
            ])
        );
        assert_eq!(call_headers(&[], &c), s(&[(":method", "GET"), (":path", "/headers"), (":authority", "httpbin")]));
    }

    #[test]
    fn maps_httpbin_headers() {
        let mapping = s(&[("Org", "X-Org"), ("Product", "X-Product")]);
        let body = br#"{"headers": {"Host": "httpbin", "Org": "Field", "Product": ["umbrella", "b"]}}"#;
        let m = map_response(body, &mapping).unwrap();
        assert_eq!(
            m.moves,
            vec![
                Move { remove: "Org".into(), add: "x-org".into(), value: "Field".into() },
                Move { remove: "Product".into(), add: "x-product".into(), value: "umbrella".into() },
            ]
        );
        assert_eq!(m.missing, None);
        // Case-insensitive match of the keys.
        let m = map_response(br#"{"headers": {"org": "F"}}"#, &mapping).unwrap();
        assert_eq!(m.moves.len(), 1);
        assert_eq!(m.missing.as_deref(), Some("Product"));
        // First missing key only (keys in order).
        let m = map_response(br#"{"headers": {}}"#, &mapping).unwrap();
        assert_eq!(m.missing.as_deref(), Some("Org"));
    }

    #[test]
    fn mapping_failures() {
        let mapping = s(&[("Org", "X-Org")]);
        assert_eq!(map_response(b"", &mapping).unwrap_err(), "bad json");
        assert_eq!(map_response(b"<html>", &mapping).unwrap_err(), "bad json");
        assert_eq!(map_response(br#"{"args": {}}"#, &mapping).unwrap_err(), "no headers object");
        assert_eq!(map_response(br#"{"headers": ["Org"]}"#, &mapping).unwrap_err(), "no headers object");
        assert_eq!(map_response(b"[]", &mapping).unwrap_err(), "no headers object");
        // A value that is neither a string nor a list starting with a string counts as missing.
        let m = map_response(br#"{"headers": {"Org": 5}}"#, &mapping).unwrap();
        assert_eq!(m.missing.as_deref(), Some("Org"));
    }
}
