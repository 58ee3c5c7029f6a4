//! Pure helpers shared by the pwtck Rust filters. Nothing here calls the host, so everything
//! compiles and is unit-tested on the host target (`cargo test`).

pub mod json;

use json::Value;
use std::fmt;

/// A configuration error: logged by a filter as `<filter>: bad config: <field>: <reason>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub field: String,
    pub reason: String,
}

impl ConfigError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError { field: field.into(), reason: reason.into() }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// The line a filter logs at ERROR for a bad configuration.
pub fn bad_config_line(filter: &str, err: &ConfigError) -> String {
    format!("{}: bad config: {}", filter, err)
}

/// Parses a plugin configuration. Zero bytes (or only whitespace) means "no configuration"
/// (`Ok(None)`); otherwise it must be a JSON object. Anything else is reported on the field
/// `config`.
pub fn parse_config(bytes: &[u8]) -> Result<Option<Value>, ConfigError> {
    if bytes.iter().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        return Ok(None);
    }
    match json::parse(bytes) {
        Ok(v @ Value::Object(_)) => Ok(Some(v)),
        _ => Err(ConfigError::new("config", "must be a JSON object")),
    }
}

/// The member `name` of `obj` (None when `obj` is None or the member is absent or null).
pub fn member<'a>(obj: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    match obj.and_then(|o| o.get(name)) {
        Some(Value::Null) | None => None,
        Some(v) => Some(v),
    }
}

/// A string field; `default` is used when absent. A present value must be a string and, when
/// `non_empty`, not empty.
pub fn string_field(
    obj: Option<&Value>,
    name: &str,
    field: &str,
    default: Option<&str>,
    non_empty: bool,
) -> Result<String, ConfigError> {
    let what = if non_empty { "must be a non-empty string" } else { "must be a string" };
    match member(obj, name) {
        None => default.map(str::to_string).ok_or_else(|| ConfigError::new(field, what)),
        Some(Value::String(s)) if !(non_empty && s.is_empty()) => Ok(s.clone()),
        Some(_) => Err(ConfigError::new(field, what)),
    }
}

/// An integer field in `min..=max`; `default` when absent.
pub fn int_field(
    obj: Option<&Value>,
    name: &str,
    field: &str,
    default: i128,
    min: i128,
    max: i128,
) -> Result<i128, ConfigError> {
    match member(obj, name) {
        None => Ok(default),
        Some(v) => match v.as_integer() {
            Some(i) if i >= min && i <= max => Ok(i),
            _ => Err(ConfigError::new(field, format!("must be an integer between {} and {}", min, max))),
        },
    }
}

/// A JSON object of strings, returned sorted by key (then by value) so it applies deterministically.
/// Keys are lower-cased when `lower_keys`.
pub fn string_map_field(
    obj: Option<&Value>,
    name: &str,
    field: &str,
    lower_keys: bool,
) -> Result<Vec<(String, String)>, ConfigError> {
    let mut out = Vec::new();
    match member(obj, name) {
        None => {}
        Some(Value::Object(members)) => {
            for (k, v) in members {
                match v {
                    Value::String(s) => {
                        let key = if lower_keys { k.to_ascii_lowercase() } else { k.clone() };
                        out.push((key, s.clone()));
                    }
                    _ => return Err(ConfigError::new(field, "must be an object of strings")),
                }
            }
        }
        Some(_) => return Err(ConfigError::new(field, "must be an object of strings")),
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

/// A JSON array of strings (order kept).
pub fn string_list_field(obj: Option<&Value>, name: &str, field: &str) -> Result<Option<Vec<String>>, ConfigError> {
    match member(obj, name) {
        None => Ok(None),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => out.push(s.clone()),
                    _ => return Err(ConfigError::new(field, "must be an array of strings")),
                }
            }
            Ok(Some(out))
        }
        Some(_) => Err(ConfigError::new(field, "must be an array of strings")),
    }
}

/// An optional nested object.
pub fn object_field<'a>(obj: Option<&'a Value>, name: &str, field: &str) -> Result<Option<&'a Value>, ConfigError> {
    match member(obj, name) {
        None => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        Some(_) => Err(ConfigError::new(field, "must be an object")),
    }
}

/// Lower-case hex, no separators.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Decodes hex (either case, even length).
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 2);
    for pair in b.chunks(2) {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        out.push((hi * 16 + lo) as u8);
    }
    Some(out)
}

/// A shared-data counter value: decimal text. Absent, empty or unparsable counts as 0.
pub fn parse_count(value: Option<&[u8]>) -> u64 {
    value.and_then(|v| std::str::from_utf8(v).ok()).and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(0)
}

/// Serializes header pairs in the proxy-wasm pairs format (ABI.md §1.4).
pub fn serialize_pairs<K: AsRef<[u8]>, V: AsRef<[u8]>>(pairs: &[(K, V)]) -> Vec<u8> {
    let mut size = 4 + pairs.len() * 8;
    for (k, v) in pairs {
        size += k.as_ref().len() + v.as_ref().len() + 2;
    }
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
    for (k, v) in pairs {
        out.extend_from_slice(&(k.as_ref().len() as u32).to_le_bytes());
        out.extend_from_slice(&(v.as_ref().len() as u32).to_le_bytes());
    }
    for (k, v) in pairs {
        out.extend_from_slice(k.as_ref());
        out.push(0);
        out.extend_from_slice(v.as_ref());
        out.push(0);
    }
    out
}

/// Adds `delta` to a decimal counter in shared data with compare-and-swap: one attempt plus up
/// to `retries` retries on CAS mismatch. `get` returns `(value, cas)`; `set(value, cas)` returns
/// true on a CAS mismatch. Returns the new count, or None when the retries are exhausted.
pub fn cas_add(
    mut get: impl FnMut() -> (Option<Vec<u8>>, Option<u32>),
    mut set: impl FnMut(&[u8], Option<u32>) -> bool,
    delta: u64,
    retries: usize,
) -> Option<u64> {
    for _ in 0..=retries {
        let (value, cas) = get();
        let next = parse_count(value.as_deref()).wrapping_add(delta);
        if !set(next.to_string().as_bytes(), cas) {
            return Some(next);
        }
    }
    None
}

/// Retries the filters use on CAS mismatch (FILTERS.md counter/queue: "up to 16 times").
pub const CAS_RETRIES: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_is_none() {
        assert_eq!(parse_config(b"").unwrap(), None);
        assert_eq!(parse_config(b" \n").unwrap(), None);
        assert!(parse_config(b"{}").unwrap().is_some());
    }

    #[test]
    fn non_object_config_is_an_error() {
        for bad in [&b"[]"[..], b"1", b"{", b"\"x\""] {
            let e = parse_config(bad).unwrap_err();
            assert_eq!(e.field, "config");
        }
    }

    #[test]
    fn field_helpers() {
        let v = json::parse(br#"{"s":"x","e":"","n":5,"m":{"B":"2","a":"1"},"l":["q"],"bad":3}"#).unwrap();
        let o = Some(&v);
        assert_eq!(string_field(o, "s", "s", None, true).unwrap(), "x");
        assert_eq!(string_field(o, "e", "e", None, true).unwrap_err().to_string(), "e: must be a non-empty string");
        assert_eq!(string_field(o, "e", "e", None, false).unwrap(), "");
        assert_eq!(string_field(o, "zz", "zz", Some("d"), true).unwrap(), "d");
        assert!(string_field(o, "zz", "zz", None, true).is_err());
        assert_eq!(int_field(o, "n", "n", 1, 0, 10).unwrap(), 5);
        assert!(int_field(o, "n", "n", 1, 6, 10).is_err());
        assert!(int_field(o, "s", "s", 1, 0, 10).is_err());
        assert_eq!(
            string_map_field(o, "m", "m", true).unwrap(),
            vec![("a".to_string(), "1".to_string()), ("b".to_string(), "2".to_string())]
        );
        assert!(string_map_field(o, "bad", "bad", true).is_err());
        assert_eq!(string_list_field(o, "l", "l").unwrap(), Some(vec!["q".to_string()]));
        assert!(string_list_field(o, "m", "m").is_err());
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex(&[0, 0xff, 0x2f]), "00ff2f");
        assert_eq!(unhex("00FF2f"), Some(vec![0, 0xff, 0x2f]));
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count(None), 0);
        assert_eq!(parse_count(Some(b"41")), 41);
        assert_eq!(parse_count(Some(b"")), 0);
        assert_eq!(parse_count(Some(b"x")), 0);
    }

    #[test]
    fn cas_add_retries_then_gives_up() {
        use std::cell::{Cell, RefCell};
        // Absent key: 0 + 1.
        let stored = RefCell::new(None::<Vec<u8>>);
        let n = cas_add(
            || (stored.borrow().clone(), None),
            |v, _| {
                *stored.borrow_mut() = Some(v.to_vec());
                false
            },
            1,
            16,
        );
        assert_eq!(n, Some(1));
        assert_eq!(stored.borrow().as_deref(), Some(&b"1"[..]));
        // Two mismatches, then success: three attempts.
        let attempts = Cell::new(0);
        let n = cas_add(
            || (Some(b"41".to_vec()), Some(7)),
            |_, cas| {
                assert_eq!(cas, Some(7));
                attempts.set(attempts.get() + 1);
                attempts.get() < 3
            },
            1,
            16,
        );
        assert_eq!((n, attempts.get()), (Some(42), 3));
        // Always mismatching: 1 attempt + 16 retries, then None.
        let attempts = Cell::new(0);
        let n = cas_add(
            || (None, None),
            |_, _| {
                attempts.set(attempts.get() + 1);
                true
            },
            1,
            16,
        );
        assert_eq!((n, attempts.get()), (None, 17));
    }

    #[test]
    fn pairs_format() {
        let p = serialize_pairs(&[("a", "1"), ("bc", "")]);
        assert_eq!(
            p,
            vec![2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, b'a', 0, b'1', 0, b'b', b'c', 0, 0]
        );
        let empty: &[(&str, &str)] = &[];
        assert_eq!(serialize_pairs(empty), vec![0, 0, 0, 0]);
    }
}
