//! The probe's results JSON (PROBE.md "Results JSON"). Pure: memory is read through a closure.

use crate::config::OutKind;
use pwtck_common::hex;
use pwtck_common::json::{self, write_str, Value};
use std::fmt::Write as _;

pub const SLOT_LEN: usize = 16;
pub const SENTINEL: u8 = 0xA5;

/// One callback invocation on one context, with the results of its `call` steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub callback: &'static str,
    pub context_id: u32,
    pub args: Vec<u32>,
    /// Each entry is one rendered result object.
    pub results: Vec<String>,
}

impl Record {
    pub fn to_json(&self) -> String {
        let mut s = trace_json(self.callback, self.context_id, &self.args);
        s.pop(); // the closing brace
        s.push_str(",\"results\":[");
        s.push_str(&self.results.join(","));
        s.push_str("]}");
        s
    }
}

/// A trace entry: `{"callback": name, "context_id": id, "args": [...]}`.
pub fn trace_json(callback: &str, context_id: u32, args: &[u32]) -> String {
    let mut s = String::from("{\"callback\":");
    write_str(&mut s, callback);
    let _ = write!(s, ",\"context_id\":{},\"args\":[", context_id);
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{}", a);
    }
    s.push_str("]}");
    s
}

/// `{"probe":"rust","records":[...]}`.
pub fn results_json(records: &[Record]) -> String {
    let mut s = String::from("{\"probe\":\"rust\",\"records\":[");
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&r.to_json());
    }
    s.push_str("]}");
    s
}

/// A step that was not made.
pub fn error_result(step: usize, call: &str, error: &str) -> String {
    let mut s = format!("{{\"step\":{},\"call\":", step);
    write_str(&mut s, call);
    s.push_str(",\"error\":");
    write_str(&mut s, error);
    s.push('}');
    s
}

/// A step that was made: `outs` are rendered out objects.
pub fn call_result(step: usize, call: &str, status: i32, outs: &[String]) -> String {
    let mut s = format!("{{\"step\":{},\"call\":", step);
    write_str(&mut s, call);
    let _ = write!(s, ",\"status\":{},\"outs\":[{}]}}", status, outs.join(","));
    s
}

fn u32_at(slot: &[u8; SLOT_LEN]) -> u32 {
    u32::from_le_bytes([slot[0], slot[1], slot[2], slot[3]])
}

fn u64_at(slot: &[u8; SLOT_LEN]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&slot[..8]);
    u64::from_le_bytes(b)
}

/// Renders one out argument from its slots (after the call). `read(ptr, size)` returns the bytes
/// when `ptr != 0` and `[ptr, ptr+size)` lies inside memory. Returns the JSON object and the value
/// `save` stores: the u32 of a `u32` out, the u64 of a `u64` out, the first 4-byte value of a
/// `u32+flags` or `code+data` out, nothing for a `data` out (docs/filters/PROBE.md).
pub fn render_out(
    kind: OutKind,
    slots: &[[u8; SLOT_LEN]],
    read: &mut dyn FnMut(u32, u32) -> Option<Vec<u8>>,
) -> (String, Option<u64>) {
    let mut s = String::from("{\"kind\":");
    write_str(&mut s, kind.name());
    let data = |s: &mut String,
                ptr_slot: &[u8; SLOT_LEN],
                size_slot: &[u8; SLOT_LEN],
                read: &mut dyn FnMut(u32, u32) -> Option<Vec<u8>>| {
        let (ptr, size) = (u32_at(ptr_slot), u32_at(size_slot));
        let _ = write!(s, ",\"ptr\":{},\"size\":{}", ptr, size);
        if ptr != 0 {
            if let Some(bytes) = read(ptr, size) {
                let _ = write!(s, ",\"hex\":\"{}\"", hex(&bytes));
            }
        }
    };
    let saved = match kind {
        OutKind::U32 => {
            let v = u32_at(&slots[0]);
            let _ = write!(s, ",\"value\":{},\"slot\":\"{}\"", v, hex(&slots[0]));
            Some(v as u64)
        }
        OutKind::U64 => {
            let v = u64_at(&slots[0]);
            let _ = write!(s, ",\"value\":\"{}\",\"slot\":\"{}\"", v, hex(&slots[0]));
            Some(v)
        }
        OutKind::Data => {
            data(&mut s, &slots[0], &slots[1], read);
            let _ = write!(s, ",\"slot\":\"{}\",\"size_slot\":\"{}\"", hex(&slots[0]), hex(&slots[1]));
            None
        }
        OutKind::U32Flags => {
            let (v, f) = (u32_at(&slots[0]), u32_at(&slots[1]));
            let _ = write!(
                s,
                ",\"value\":{},\"flags\":{},\"slot\":\"{}\",\"flags_slot\":\"{}\"",
                v,
                f,
                hex(&slots[0]),
                hex(&slots[1])
            );
            Some(v as u64)
        }
        OutKind::CodeData => {
            let code = u32_at(&slots[0]);
            let _ = write!(s, ",\"code\":{}", code);
            data(&mut s, &slots[1], &slots[2], read);
            let _ = write!(
                s,
                ",\"slot\":\"{}\",\"ptr_slot\":\"{}\",\"size_slot\":\"{}\"",
                hex(&slots[0]),
                hex(&slots[1]),
                hex(&slots[2])
            );
            Some(code as u64)
        }
    };
    s.push('}');
    (s, saved)
}

/// Appends JSON items to a JSON array held as bytes (shared data). Absent, empty or non-array
/// contents start a new array; an existing array keeps its bytes.
pub fn append_to_array(current: Option<&[u8]>, items: &[String]) -> Vec<u8> {
    let joined = items.join(",");
    if let Some(cur) = current {
        if let Ok(Value::Array(existing)) = json::parse(cur) {
            let text = std::str::from_utf8(cur).unwrap_or("[]").trim_end();
            if existing.is_empty() {
                return format!("[{}]", joined).into_bytes();
            }
            if items.is_empty() {
                return text.as_bytes().to_vec();
            }
            let body = &text[..text.len() - 1]; // drop the closing ']'
            return format!("{},{}]", body, joined).into_bytes();
        }
    }
    format!("[{}]", joined).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(prefix: &[u8]) -> [u8; SLOT_LEN] {
        let mut s = [SENTINEL; SLOT_LEN];
        s[..prefix.len()].copy_from_slice(prefix);
        s
    }

    fn no_memory() -> impl FnMut(u32, u32) -> Option<Vec<u8>> {
        |_, _| None
    }

    #[test]
    fn u32_and_u64_outs() {
        let (j, saved) = render_out(OutKind::U32, &[slot(&[7, 0, 0, 0])], &mut no_memory());
        assert_eq!(j, r#"{"kind":"u32","value":7,"slot":"07000000a5a5a5a5a5a5a5a5a5a5a5a5"}"#);
        assert_eq!(saved, Some(7));
        // A 4-byte write into a u64 slot leaves the sentinel in bytes 4..7.
        let (j, saved) = render_out(OutKind::U64, &[slot(&[1, 0, 0, 0])], &mut no_memory());
        assert_eq!(j, r#"{"kind":"u64","value":"11936128515503554561","slot":"01000000a5a5a5a5a5a5a5a5a5a5a5a5"}"#);
        assert_eq!(saved, Some(0xa5a5a5a5_00000001));
        let (j, _) = render_out(OutKind::U64, &[slot(&u64::MAX.to_le_bytes())], &mut no_memory());
        assert!(j.contains(r#""value":"18446744073709551615""#));
    }

    #[test]
    fn data_outs() {
        let mut mem = |ptr: u32, size: u32| if ptr == 1234 && size == 1 { Some(vec![0x2f]) } else { None };
        let (j, saved) = render_out(OutKind::Data, &[slot(&1234u32.to_le_bytes()), slot(&[1, 0, 0, 0])], &mut mem);
        assert_eq!(
            j,
            r#"{"kind":"data","ptr":1234,"size":1,"hex":"2f","slot":"d2040000a5a5a5a5a5a5a5a5a5a5a5a5","size_slot":"01000000a5a5a5a5a5a5a5a5a5a5a5a5"}"#
        );
        assert_eq!(saved, None);
        // Unreadable or null pointers: no hex, and the reader is not asked about a null pointer.
        let mut never = |ptr: u32, _| -> Option<Vec<u8>> {
            assert_ne!(ptr, 0);
            None
        };
        let (j, _) = render_out(OutKind::Data, &[slot(&[0, 0, 0, 0]), slot(&[0, 0, 0, 0])], &mut never);
        assert!(!j.contains("hex"));
        let (j, _) = render_out(OutKind::Data, &[slot(&[]), slot(&[])], &mut never);
        assert!(j.contains(r#""ptr":2779096485,"size":2779096485"#), "{}", j);
    }

    #[test]
    fn flags_and_code_outs() {
        let (j, saved) = render_out(OutKind::U32Flags, &[slot(&[5, 0, 0, 0]), slot(&[0, 0, 0, 0])], &mut no_memory());
        assert_eq!(
            j,
            r#"{"kind":"u32+flags","value":5,"flags":0,"slot":"05000000a5a5a5a5a5a5a5a5a5a5a5a5","flags_slot":"00000000a5a5a5a5a5a5a5a5a5a5a5a5"}"#
        );
        assert_eq!(saved, Some(5), "u32+flags saves its value");
        let mut mem = |_, _| Some(b"reset".to_vec());
        let (j, saved) =
            render_out(OutKind::CodeData, &[slot(&[11, 0, 0, 0]), slot(&[16, 0, 0, 0]), slot(&[5, 0, 0, 0])], &mut mem);
        assert!(
            j.starts_with(r#"{"kind":"code+data","code":11,"ptr":16,"size":5,"hex":"7265736574","slot":"0b000000"#),
            "{}",
            j
        );
        assert!(j.contains(r#""ptr_slot":"10000000a5"#) && j.contains(r#""size_slot":"05000000a5"#));
        assert_eq!(saved, Some(11), "code+data saves its code");
    }

    #[test]
    fn result_objects() {
        assert_eq!(
            error_result(2, "proxy_log", "unknown var x"),
            r#"{"step":2,"call":"proxy_log","error":"unknown var x"}"#
        );
        assert_eq!(call_result(0, "proxy_done", -1, &[]), r#"{"step":0,"call":"proxy_done","status":-1,"outs":[]}"#);
        let r = Record {
            callback: "on_request_headers",
            context_id: 2,
            args: vec![2, 5, 1],
            results: vec![call_result(0, "proxy_done", 1, &[])],
        };
        assert_eq!(
            results_json(&[r]),
            r#"{"probe":"rust","records":[{"callback":"on_request_headers","context_id":2,"args":[2,5,1],"results":[{"step":0,"call":"proxy_done","status":1,"outs":[]}]}]}"#
        );
        assert_eq!(results_json(&[]), r#"{"probe":"rust","records":[]}"#);
        pwtck_common::json::parse(results_json(&[]).as_bytes()).unwrap();
    }

    #[test]
    fn appending_to_arrays() {
        let a = vec!["{\"a\":1}".to_string()];
        assert_eq!(append_to_array(None, &a), b"[{\"a\":1}]");
        assert_eq!(append_to_array(Some(b""), &a), b"[{\"a\":1}]");
        assert_eq!(append_to_array(Some(b"[]"), &a), b"[{\"a\":1}]");
        assert_eq!(append_to_array(Some(b" [ ] "), &a), b"[{\"a\":1}]");
        assert_eq!(append_to_array(Some(b"[1,2]\n"), &a), b"[1,2,{\"a\":1}]");
        assert_eq!(append_to_array(Some(b"garbage"), &a), b"[{\"a\":1}]");
        let two = vec!["1".to_string(), "2".to_string()];
        assert_eq!(append_to_array(Some(b"[0]"), &two), b"[0,1,2]");
    }
}
