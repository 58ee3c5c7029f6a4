//! Configuration of the `headers` filter (pure; unit-tested on the host).

use pwtck_common::json::Value;
use pwtck_common::{object_field, parse_config, string_list_field, string_map_field, ConfigError};

/// Edits of one header map, applied in the order remove, replace, add.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Edits {
    /// Lower-cased names sorted by name.
    pub add: Vec<(String, String)>,
    pub replace: Vec<(String, String)>,
    /// Lower-cased, in configuration order.
    pub remove: Vec<String>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Config {
    pub request: Edits,
    pub response: Edits,
    /// Response header name (lower-cased) → property path, sorted by header name.
    pub properties: Vec<(String, Vec<String>)>,
}

fn edits(root: Option<&Value>, side: &str) -> Result<Edits, ConfigError> {
    let obj = object_field(root, side, side)?;
    Ok(Edits {
        add: string_map_field(obj, "add", &format!("{}.add", side), true)?,
        replace: string_map_field(obj, "replace", &format!("{}.replace", side), true)?,
        remove: {
            let field = format!("{}.remove", side);
            let list = string_list_field(obj, "remove", &field)?.unwrap_or_default();
            if list.iter().any(String::is_empty) {
                return Err(ConfigError::new(field, "must be an array of non-empty strings"));
            }
            list.into_iter().map(|s| s.to_ascii_lowercase()).collect()
        },
    })
}

pub fn parse(bytes: &[u8]) -> Result<Config, ConfigError> {
    let root = parse_config(bytes)?;
    let root = root.as_ref();
    let request = edits(root, "request")?;
    let response = edits(root, "response")?;
    let mut properties = Vec::new();
    if let Some(obj) = object_field(root, "properties", "properties")? {
        for (name, path) in obj.as_object().unwrap_or(&[]) {
            let field = format!("properties.{}", name);
            let segments = match path.as_array() {
                Some(items) if !items.is_empty() => {
                    items.iter().map(|s| s.as_str().map(str::to_string)).collect::<Option<Vec<_>>>()
                }
                _ => None,
            };
            if name.is_empty() && segments.is_some() {
                return Err(ConfigError::new("properties", "header names must be non-empty"));
            }
            match segments {
                Some(p) => properties.push((name.to_ascii_lowercase(), p)),
                None => return Err(ConfigError::new(field, "must be a non-empty array of strings")),
            }
        }
    }
    properties.sort();
    properties.dedup_by(|a, b| a.0 == b.0);
    Ok(Config { request, response, properties })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_means_no_changes() {
        assert_eq!(parse(b"").unwrap(), Config::default());
        assert_eq!(parse(b"{}").unwrap(), Config::default());
    }

    #[test]
    fn full_example() {
        let c = parse(
            br#"{"request":  {"add": {"x-a": "1"}, "replace": {"x-b": "2"}, "remove": ["x-c"]},
                 "response": {"add": {"X-D": "3", "x-c": "0"}, "replace": {"x-e": "4"}, "remove": ["Server"]},
                 "properties": {"x-pwtck-path": ["request", "path"], "x-pwtck-plugin": ["plugin_name"]},
                 "unknown": 1}"#,
        )
        .unwrap();
        assert_eq!(c.request.add, vec![("x-a".into(), "1".into())]);
        assert_eq!(c.request.replace, vec![("x-b".into(), "2".into())]);
        assert_eq!(c.request.remove, vec!["x-c".to_string()]);
        assert_eq!(c.response.add, vec![("x-c".into(), "0".into()), ("x-d".into(), "3".into())]);
        assert_eq!(c.response.remove, vec!["server".to_string()]);
        assert_eq!(
            c.properties,
            vec![
                ("x-pwtck-path".into(), vec!["request".to_string(), "path".to_string()]),
                ("x-pwtck-plugin".into(), vec!["plugin_name".to_string()]),
            ]
        );
    }

    #[test]
    fn bad_configs_name_the_field() {
        let cases: &[(&[u8], &str)] = &[
            (b"[1]", "config"),
            (br#"{"request": 1}"#, "request"),
            (br#"{"request": {"add": {"x": 1}}}"#, "request.add"),
            (br#"{"response": {"remove": "x"}}"#, "response.remove"),
            (br#"{"response": {"replace": []}}"#, "response.replace"),
            (br#"{"properties": {"x-p": []}}"#, "properties.x-p"),
            (br#"{"properties": {"x-p": [1]}}"#, "properties.x-p"),
            (br#"{"properties": []}"#, "properties"),
            (br#"{"properties": {"": ["a"]}}"#, "properties"),
            (br#"{"request": {"remove": [""]}}"#, "request.remove"),
        ];
        for (src, field) in cases {
            assert_eq!(parse(src).unwrap_err().field, *field, "{}", String::from_utf8_lossy(src));
        }
    }
}
