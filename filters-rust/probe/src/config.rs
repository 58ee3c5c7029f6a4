//! The probe's scenario configuration (PROBE.md "Plugin configuration", "Steps"). Pure: parsing
//! and validation only.

use crate::calls::{self, ValType, CALLBACKS, CALLS};
use pwtck_common::json::{self, Value};
use pwtck_common::unhex;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutKind {
    U32,
    U64,
    Data,
    U32Flags,
    CodeData,
}

impl OutKind {
    pub fn name(self) -> &'static str {
        match self {
            OutKind::U32 => "u32",
            OutKind::U64 => "u64",
            OutKind::Data => "data",
            OutKind::U32Flags => "u32+flags",
            OutKind::CodeData => "code+data",
        }
    }

    /// How many slot pointers (wasm i32 arguments) the out expands to.
    pub fn slots(self) -> usize {
        match self {
            OutKind::U32 | OutKind::U64 => 1,
            OutKind::Data | OutKind::U32Flags => 2,
            OutKind::CodeData => 3,
        }
    }

    fn parse(s: &str) -> Option<OutKind> {
        Some(match s {
            "u32" => OutKind::U32,
            "u64" => OutKind::U64,
            "data" => OutKind::Data,
            "u32+flags" => OutKind::U32Flags,
            "code+data" => OutKind::CodeData,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A JSON integer as 64 bits (two's complement for negatives); i32 parameters use the low 32.
    Int(u64),
    /// `str`, `hex`, `pairs` and `path`: bytes copied into guest memory, passed as pointer, length.
    Bytes(Vec<u8>),
    Var(String),
    Out(OutKind),
}

impl Arg {
    pub fn wasm_len(&self) -> usize {
        match self {
            Arg::Int(_) | Arg::Var(_) => 1,
            Arg::Bytes(_) => 2,
            Arg::Out(k) => k.slots(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    LocalResponse,
    Header,
    RequestHeader,
    SharedData,
    Log,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrapKind {
    Unreachable,
    Oom,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Call {
        func: usize,
        args: Vec<Arg>,
        save: Option<String>,
    },
    Report {
        kind: ReportKind,
        status: u32,
        name: String,
    },
    Trap(TrapKind),
    /// Milliseconds; -1 = forever.
    Spin(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub steps: Vec<Step>,
    pub action: u32,
    pub result: u32,
    pub once: bool,
}

impl Default for Entry {
    fn default() -> Self {
        Entry { steps: Vec::new(), action: 0, result: 1, once: false }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Indexed like `calls::CALLBACKS`.
    pub callbacks: Vec<Option<Rc<Entry>>>,
    pub trace: bool,
}

impl Config {
    pub fn empty() -> Config {
        Config { callbacks: vec![None; CALLBACKS.len()], trace: false }
    }

    pub fn entry(&self, callback: usize) -> Option<Rc<Entry>> {
        self.callbacks.get(callback).cloned().flatten()
    }
}

pub const DEFAULT_HEADER: &str = "x-pwtck-probe";

/// Parses a configuration. The error is the text after `probe: bad config: `.
pub fn parse(bytes: &[u8]) -> Result<Config, String> {
    let mut config = Config::empty();
    if bytes.is_empty() {
        return Ok(config);
    }
    let root = json::parse(bytes).map_err(|e| format!("not valid JSON: {}", e))?;
    if root.as_object().is_none() {
        return Err("must be a JSON object".to_string());
    }
    if let Some(v) = root.get("trace") {
        config.trace = v.as_bool().ok_or("trace: must be a boolean")?;
    }
    let callbacks = match root.get("callbacks") {
        None => return Ok(config),
        Some(Value::Object(members)) => members,
        Some(_) => return Err("callbacks: must be an object".to_string()),
    };
    for (name, entry) in callbacks {
        let index = calls::callback_index(name).ok_or_else(|| format!("callbacks: unknown callback {}", name))?;
        config.callbacks[index] = Some(Rc::new(parse_entry(name, entry)?));
    }
    Ok(config)
}

fn int32(v: &Value) -> Option<u32> {
    to_u64(v).map(|x| x as u32)
}

/// A JSON integer from -2^63 to 2^64-1 as 64 bits.
fn to_u64(v: &Value) -> Option<u64> {
    let i = v.as_integer()?;
    if i < i64::MIN as i128 || i > u64::MAX as i128 {
        return None;
    }
    Some(if i < 0 { i as i64 as u64 } else { i as u64 })
}

fn parse_entry(name: &str, v: &Value) -> Result<Entry, String> {
    let members = v.as_object().ok_or_else(|| format!("callbacks.{}: must be an object", name))?;
    let _ = members;
    let mut entry = Entry::default();
    if let Some(a) = v.get("action") {
        entry.action = int32(a).ok_or_else(|| format!("callbacks.{}.action: must be an integer", name))?;
    }
    if let Some(r) = v.get("result") {
        entry.result = int32(r).ok_or_else(|| format!("callbacks.{}.result: must be an integer", name))?;
    }
    if let Some(o) = v.get("once") {
        entry.once = o.as_bool().ok_or_else(|| format!("callbacks.{}.once: must be a boolean", name))?;
    }
    match v.get("steps") {
        None => {}
        Some(Value::Array(steps)) => {
            for (n, step) in steps.iter().enumerate() {
                entry.steps.push(parse_step(step).map_err(|reason| format!("step {} of {}: {}", n, name, reason))?);
            }
        }
        Some(_) => return Err(format!("callbacks.{}.steps: must be an array", name)),
    }
    Ok(entry)
}

const STEP_KEYS: &[&str] = &["call", "report", "trap", "spin"];

fn parse_step(v: &Value) -> Result<Step, String> {
    let members = v.as_object().ok_or("must be an object")?;
    let kinds: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).filter(|k| STEP_KEYS.contains(k)).collect();
    if kinds.len() != 1 {
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        return Err(format!(
            "unknown step kind: want exactly one of call, report, trap, spin, got keys [{}]",
            keys.join(", ")
        ));
    }
    let kind = kinds[0];
    let allowed: &[&str] = match kind {
        "call" => &["call", "args", "save"],
        "report" => &["report", "status", "name"],
        _ => &[kind],
    };
    if let Some((k, _)) = members.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(format!("unknown key {} in a {} step", k, kind));
    }
    let val = v.get(kind).unwrap();
    match kind {
        "call" => parse_call(v, val),
        "report" => {
            let kind = match val.as_str() {
                Some("local_response") => ReportKind::LocalResponse,
                Some("header") => ReportKind::Header,
                Some("request_header") => ReportKind::RequestHeader,
                Some("shared_data") => ReportKind::SharedData,
                Some("log") => ReportKind::Log,
                Some(other) => return Err(format!("unknown report {}", other)),
                None => return Err("report must be a string".to_string()),
            };
            let status = match v.get("status") {
                None => 200,
                Some(s) => int32(s).ok_or("status must be an integer")?,
            };
            let name = match v.get("name") {
                None => DEFAULT_HEADER.to_string(),
                Some(Value::String(s)) => s.clone(),
                Some(_) => return Err("name must be a string".to_string()),
            };
            Ok(Step::Report { kind, status, name })
        }
        "trap" => match val.as_str() {
            Some("unreachable") => Ok(Step::Trap(TrapKind::Unreachable)),
            Some("oom") => Ok(Step::Trap(TrapKind::Oom)),
            Some(other) => Err(format!("unknown trap {}", other)),
            None => Err("trap must be a string".to_string()),
        },
        _ => match val.as_integer() {
            Some(ms) if (-1..=i64::MAX as i128).contains(&ms) => Ok(Step::Spin(ms as i64)),
            _ => Err("spin must be an integer of milliseconds >= 0, or -1".to_string()),
        },
    }
}

fn parse_call(step: &Value, name: &Value) -> Result<Step, String> {
    let name = name.as_str().ok_or("call must be a string")?;
    let func = calls::find(name).ok_or_else(|| format!("unknown call {}", name))?;
    let sig = &CALLS[func];
    let mut args = Vec::new();
    match step.get("args") {
        None => {}
        Some(Value::Array(items)) => {
            for (k, item) in items.iter().enumerate() {
                args.push(parse_arg(item).map_err(|e| format!("arg {}: {}", k, e))?);
            }
        }
        Some(_) => return Err("args must be an array".to_string()),
    }
    let got: usize = args.iter().map(Arg::wasm_len).sum();
    if got != sig.arity() {
        return Err(format!("args do not match {} (want {} wasm args, got {})", name, sig.arity(), got));
    }
    // Types: pointers and lengths are i32; only integers and variables may fill an i64 parameter.
    let types: Vec<ValType> = sig.param_types().collect();
    let mut pos = 0;
    for (k, arg) in args.iter().enumerate() {
        let n = arg.wasm_len();
        let pointer_like = !matches!(arg, Arg::Int(_) | Arg::Var(_));
        if pointer_like && types[pos..pos + n].contains(&ValType::I64) {
            return Err(format!(
                "args do not match {} (arg {} expands to i32 pointers where the signature has i64)",
                name, k
            ));
        }
        pos += n;
    }
    let save = match step.get("save") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("save must be a string".to_string()),
    };
    let savable = args.iter().any(|a| matches!(a, Arg::Out(k) if *k != OutKind::Data));
    if save.is_some() && !savable {
        return Err("save needs a u32 or u64 out".to_string());
    }
    Ok(Step::Call { func, args, save })
}

const ARG_FORMS: &str = "must be an integer or an object with one key of str, hex, pairs, path, var, out";

fn parse_arg(v: &Value) -> Result<Arg, String> {
    if let Value::Number(_) = v {
        return to_u64(v).map(Arg::Int).ok_or_else(|| "integer out of range (-2^63 .. 2^64-1)".to_string());
    }
    let members = v.as_object().ok_or(ARG_FORMS)?;
    if members.len() != 1 {
        return Err(ARG_FORMS.to_string());
    }
    let (key, val) = &members[0];
    match key.as_str() {
        "str" => Ok(Arg::Bytes(val.as_str().ok_or("str must be a string")?.as_bytes().to_vec())),
        "hex" => {
            let s = val.as_str().ok_or("hex must be a string")?;
            Ok(Arg::Bytes(unhex(s).ok_or("hex must be an even number of hex digits")?))
        }
        "pairs" => {
            let items = val.as_array().ok_or("pairs must be an array of [key, value] strings")?;
            let mut pairs = Vec::with_capacity(items.len());
            for item in items {
                match item.as_array() {
                    Some([Value::String(k), Value::String(v)]) => pairs.push((k.as_bytes(), v.as_bytes())),
                    _ => return Err("pairs must be an array of [key, value] strings".to_string()),
                }
            }
            Ok(Arg::Bytes(pwtck_common::serialize_pairs(&pairs)))
        }
        "path" => {
            let items = val.as_array().ok_or("path must be an array of strings")?;
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let s = item.as_str().ok_or("path must be an array of strings")?;
                if i > 0 {
                    out.push(0);
                }
                out.extend_from_slice(s.as_bytes());
            }
            Ok(Arg::Bytes(out))
        }
        "var" => Ok(Arg::Var(val.as_str().ok_or("var must be a string")?.to_string())),
        "out" => {
            let s = val.as_str().ok_or("out must be a string")?;
            OutKind::parse(s).map(Arg::Out).ok_or_else(|| format!("unknown out kind {}", s))
        }
        _ => Err(ARG_FORMS.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> String {
        parse(src.as_bytes()).unwrap_err()
    }

    fn steps_of(src: &str, cb: &str) -> Vec<Step> {
        let c = parse(src.as_bytes()).unwrap();
        c.entry(calls::callback_index(cb).unwrap()).unwrap().steps.clone()
    }

    #[test]
    fn empty_and_braces_are_valid() {
        assert_eq!(parse(b"").unwrap(), Config::empty());
        assert_eq!(parse(b"{}").unwrap(), Config::empty());
        let c = parse(br#"{"callbacks": {"on_configure": {}}}"#).unwrap();
        let e = c.entry(1).unwrap();
        assert_eq!((e.action, e.result, e.once, e.steps.len()), (0, 1, false, 0));
    }

    #[test]
    fn not_json() {
        assert!(err("{").starts_with("not valid JSON"));
        assert_eq!(err("[]"), "must be a JSON object");
    }

    #[test]
    fn full_call_step() {
        let steps = steps_of(
            r#"{"callbacks": {"on_request_headers": {"steps": [
                {"call": "proxy_get_header_map_value", "args": [0, {"str": ":path"}, {"out": "data"}]},
                {"call": "proxy_get_current_time_nanoseconds", "args": [{"out": "u64"}], "save": "now"},
                {"call": "wasi:clock_time_get", "args": [1, -1, {"out": "u64"}]},
                {"call": "proxy_increment_metric", "args": [{"var": "m"}, 18446744073709551615]},
                {"call": "proxy_get_property", "args": [{"path": ["request", "path"]}, {"out": "data"}]},
                {"call": "proxy_send_local_response", "args": [200, {"str": ""}, {"hex": "00ff"}, {"pairs": [["a", "b"]]}, 4294967295]},
                {"call": "proxy_get_buffer_status", "args": [0, {"out": "u32+flags"}]},
                {"call": "proxy_get_status", "args": [{"out": "code+data"}]},
                {"call": "proxy_done"}
              ], "action": 1}}}"#,
            "on_request_headers",
        );
        assert_eq!(steps.len(), 9);
        assert_eq!(
            steps[0],
            Step::Call {
                func: calls::find("proxy_get_header_map_value").unwrap(),
                args: vec![Arg::Int(0), Arg::Bytes(b":path".to_vec()), Arg::Out(OutKind::Data)],
                save: None
            }
        );
        assert_eq!(
            steps[1],
            Step::Call {
                func: calls::find("proxy_get_current_time_nanoseconds").unwrap(),
                args: vec![Arg::Out(OutKind::U64)],
                save: Some("now".into())
            }
        );
        match &steps[2] {
            Step::Call { args, .. } => assert_eq!(args[1], Arg::Int(u64::MAX)),
            _ => panic!(),
        }
        match &steps[4] {
            Step::Call { args, .. } => assert_eq!(args[0], Arg::Bytes(b"request\0path".to_vec())),
            _ => panic!(),
        }
        match &steps[5] {
            Step::Call { args, .. } => {
                assert_eq!(args[2], Arg::Bytes(vec![0, 0xff]));
                assert_eq!(args[3], Arg::Bytes(pwtck_common::serialize_pairs(&[("a", "b")])));
                assert_eq!(args[4], Arg::Int(4294967295));
            }
            _ => panic!(),
        }
    }

    #[test]
    fn unknown_step_kind_names_the_step() {
        let e = err(r#"{"callbacks": {"on_configure": {"steps": [{"report": "log"}, {"bogus": 1}]}}}"#);
        assert!(e.starts_with("step 1 of on_configure: unknown step kind"), "{}", e);
        let e = err(r#"{"callbacks": {"on_tick": {"steps": [{"call": "proxy_done", "trap": "oom"}]}}}"#);
        assert!(e.starts_with("step 0 of on_tick: unknown step kind"), "{}", e);
        let e = err(r#"{"callbacks": {"on_tick": {"steps": [{}]}}}"#);
        assert!(e.starts_with("step 0 of on_tick: unknown step kind"), "{}", e);
        let e = err(r#"{"callbacks": {"on_tick": {"steps": [{"call": "proxy_done", "foo": 1}]}}}"#);
        assert_eq!(e, "step 0 of on_tick: unknown key foo in a call step");
    }

    #[test]
    fn arg_count_and_type_errors() {
        let e = err(r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_log", "args": [2, {"str": "x"}, 1]}]}}}"#);
        assert_eq!(e, "step 0 of on_log: args do not match proxy_log (want 3 wasm args, got 4)");
        let e =
            err(r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_get_status", "args": [{"out": "data"}]}]}}}"#);
        assert_eq!(e, "step 0 of on_log: args do not match proxy_get_status (want 3 wasm args, got 2)");
        let e =
            err(r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_record_metric", "args": [{"str": "x"}]}]}}}"#);
        assert!(e.contains("arg 0 expands to i32 pointers"), "{}", e);
        let e = err(r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_nope"}]}}}"#);
        assert_eq!(e, "step 0 of on_log: unknown call proxy_nope");
        let e = err(r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_done", "args": [{"out": "u16"}]}]}}}"#);
        assert_eq!(e, "step 0 of on_log: arg 0: unknown out kind u16");
        let e = err(
            r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_grpc_cancel", "args": [18446744073709551616]}]}}}"#,
        );
        assert!(e.starts_with("step 0 of on_log: arg 0: integer out of range"), "{}", e);
        let e = err(r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_grpc_cancel", "args": [1.5]}]}}}"#);
        assert!(e.starts_with("step 0 of on_log: arg 0: integer out of range"), "{}", e);
        let e = err(r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_log", "args": [1, {"hex": "abc"}]}]}}}"#);
        assert!(e.starts_with("step 0 of on_log: arg 1: hex"), "{}", e);
        let e = err(
            r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_log", "args": [1, {"str": "a", "hex": ""}]}]}}}"#,
        );
        assert!(e.starts_with("step 0 of on_log: arg 1: must be"), "{}", e);
    }

    #[test]
    fn reports_traps_spins() {
        let steps = steps_of(
            r#"{"callbacks": {"on_response_headers": {"steps": [
                {"report": "local_response"}, {"report": "local_response", "status": 503},
                {"report": "header", "name": "x-n"}, {"report": "request_header"},
                {"report": "shared_data"}, {"report": "log"},
                {"trap": "unreachable"}, {"trap": "oom"}, {"spin": 2000}, {"spin": -1}]}}}"#,
            "on_response_headers",
        );
        assert_eq!(
            steps[0],
            Step::Report { kind: ReportKind::LocalResponse, status: 200, name: DEFAULT_HEADER.into() }
        );
        assert_eq!(
            steps[1],
            Step::Report { kind: ReportKind::LocalResponse, status: 503, name: DEFAULT_HEADER.into() }
        );
        assert_eq!(steps[2], Step::Report { kind: ReportKind::Header, status: 200, name: "x-n".into() });
        assert_eq!(steps[6], Step::Trap(TrapKind::Unreachable));
        assert_eq!(steps[7], Step::Trap(TrapKind::Oom));
        assert_eq!(steps[8], Step::Spin(2000));
        assert_eq!(steps[9], Step::Spin(-1));
        assert_eq!(
            err(r#"{"callbacks": {"on_log": {"steps": [{"report": "email"}]}}}"#),
            "step 0 of on_log: unknown report email"
        );
        assert_eq!(
            err(r#"{"callbacks": {"on_log": {"steps": [{"trap": "segv"}]}}}"#),
            "step 0 of on_log: unknown trap segv"
        );
        assert!(err(r#"{"callbacks": {"on_log": {"steps": [{"spin": -2}]}}}"#).starts_with("step 0 of on_log: spin"));
    }

    #[test]
    fn entry_fields_and_errors() {
        let c = parse(br#"{"trace": true, "callbacks": {"on_done": {"result": 0, "once": true}, "on_request_body": {"action": -1}}}"#).unwrap();
        assert!(c.trace);
        let done = c.entry(calls::callback_index("on_done").unwrap()).unwrap();
        assert_eq!((done.result, done.once), (0, true));
        assert_eq!(c.entry(calls::callback_index("on_request_body").unwrap()).unwrap().action, u32::MAX);
        assert_eq!(err(r#"{"callbacks": {"on_nothing": {}}}"#), "callbacks: unknown callback on_nothing");
        assert_eq!(err(r#"{"callbacks": []}"#), "callbacks: must be an object");
        assert_eq!(err(r#"{"callbacks": {"on_log": {"steps": {}}}}"#), "callbacks.on_log.steps: must be an array");
        assert_eq!(err(r#"{"callbacks": {"on_log": {"action": "x"}}}"#), "callbacks.on_log.action: must be an integer");
        assert_eq!(
            err(r#"{"callbacks": {"on_log": {"steps": [{"call": "proxy_get_property", "args": [{"path": ["a"]}, {"out": "data"}], "save": "x"}]}}}"#),
            "step 0 of on_log: save needs a u32 or u64 out"
        );
        assert_eq!(err(r#"{"trace": 1}"#), "trace: must be a boolean");
    }
}
