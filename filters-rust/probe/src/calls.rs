//! The host functions the probe can call, with their exact wasm signatures (ABI.md §2, §3.4).
//! `runtime.rs` declares one raw import per entry; a host test checks the two agree.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValType {
    I32,
    I64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Env,
    Wasi,
}

#[derive(Debug)]
pub struct CallSig {
    /// The name used in a `call` step: `proxy_…` or `wasi:<name>`.
    pub name: &'static str,
    pub module: Module,
    /// Parameter types: `i` = i32, `I` = i64.
    pub params: &'static str,
    /// False only for `wasi:proc_exit`, which returns nothing.
    pub has_result: bool,
}

impl CallSig {
    pub fn param_types(&self) -> impl Iterator<Item = ValType> + '_ {
        self.params.chars().map(|c| if c == 'I' { ValType::I64 } else { ValType::I32 })
    }

    pub fn arity(&self) -> usize {
        self.params.len()
    }

    /// The import's field name (without the `wasi:` prefix).
    pub fn import_name(&self) -> &'static str {
        self.name.strip_prefix("wasi:").unwrap_or(self.name)
    }
}

const fn env(name: &'static str, params: &'static str) -> CallSig {
    CallSig { name, module: Module::Env, params, has_result: true }
}

const fn wasi(name: &'static str, params: &'static str) -> CallSig {
    CallSig { name, module: Module::Wasi, params, has_result: true }
}

/// Every `proxy_*` host function of ABI v0.2.1 (the common 36, `proxy_continue_stream`,
/// `proxy_close_stream`, `proxy_get_log_level`) and the WASI functions of ABI.md §0.1.
pub const CALLS: &[CallSig] = &[
    // 2.1 context lifecycle
    env("proxy_done", ""),
    env("proxy_set_effective_context", "i"),
    // 2.2 logging, time, timers
    env("proxy_log", "iii"),
    env("proxy_get_log_level", "i"),
    env("proxy_get_current_time_nanoseconds", "i"),
    env("proxy_set_tick_period_milliseconds", "i"),
    // 2.3 buffers
    env("proxy_get_buffer_bytes", "iiiii"),
    env("proxy_set_buffer_bytes", "iiiii"),
    env("proxy_get_buffer_status", "iii"),
    // 2.4 maps
    env("proxy_get_header_map_size", "ii"),
    env("proxy_get_header_map_pairs", "iii"),
    env("proxy_set_header_map_pairs", "iii"),
    env("proxy_get_header_map_value", "iiiii"),
    env("proxy_add_header_map_value", "iiiii"),
    env("proxy_replace_header_map_value", "iiiii"),
    env("proxy_remove_header_map_value", "iii"),
    // 2.5 stream control
    env("proxy_continue_stream", "i"),
    env("proxy_close_stream", "i"),
    env("proxy_get_status", "iii"),
    env("proxy_send_local_response", "iiiiiiii"),
    // 2.6 callouts
    env("proxy_http_call", "iiiiiiiiii"),
    env("proxy_grpc_call", "iiiiiiiiiiii"),
    env("proxy_grpc_stream", "iiiiiiiii"),
    env("proxy_grpc_send", "iiii"),
    env("proxy_grpc_cancel", "i"),
    env("proxy_grpc_close", "i"),
    // 2.7 shared data and queues
    env("proxy_get_shared_data", "iiiii"),
    env("proxy_set_shared_data", "iiiii"),
    env("proxy_register_shared_queue", "iii"),
    env("proxy_resolve_shared_queue", "iiiii"),
    env("proxy_enqueue_shared_queue", "iii"),
    env("proxy_dequeue_shared_queue", "iii"),
    // 2.8 metrics
    env("proxy_define_metric", "iiii"),
    env("proxy_record_metric", "iI"),
    env("proxy_increment_metric", "iI"),
    env("proxy_get_metric", "ii"),
    // 2.9 properties, foreign functions
    env("proxy_get_property", "iiii"),
    env("proxy_set_property", "iiii"),
    env("proxy_call_foreign_function", "iiiiii"),
    // WASI (module wasi_snapshot_preview1), ABI.md §0.1
    wasi("wasi:fd_write", "iiii"),
    wasi("wasi:clock_time_get", "iIi"),
    wasi("wasi:random_get", "ii"),
    wasi("wasi:environ_sizes_get", "ii"),
    wasi("wasi:environ_get", "ii"),
    wasi("wasi:args_sizes_get", "ii"),
    wasi("wasi:args_get", "ii"),
    CallSig { name: "wasi:proc_exit", module: Module::Wasi, params: "i", has_result: false },
];

pub fn find(name: &str) -> Option<usize> {
    CALLS.iter().position(|c| c.name == name)
}

/// The 25 callbacks of PROBE.md "Callback names", in that order.
pub const CALLBACKS: &[&str] = &[
    "on_vm_start",
    "on_configure",
    "on_tick",
    "on_context_create",
    "on_request_headers",
    "on_request_body",
    "on_request_trailers",
    "on_response_headers",
    "on_response_body",
    "on_response_trailers",
    "on_http_call_response",
    "on_grpc_receive_initial_metadata",
    "on_grpc_receive",
    "on_grpc_receive_trailing_metadata",
    "on_grpc_close",
    "on_queue_ready",
    "on_foreign_function",
    "on_new_connection",
    "on_downstream_data",
    "on_upstream_data",
    "on_downstream_connection_close",
    "on_upstream_connection_close",
    "on_log",
    "on_done",
    "on_delete",
];

// Fixed indexes into CALLBACKS (checked by a test).
pub const ON_VM_START: usize = 0;
pub const ON_CONFIGURE: usize = 1;
pub const ON_REQUEST_HEADERS: usize = 4;

pub fn callback_index(name: &str) -> Option<usize> {
    CALLBACKS.iter().position(|c| *c == name)
}

pub const ARG_KINDS: &[&str] =
    &["str", "hex", "pairs", "path", "var", "out:u32", "out:u64", "out:data", "out:u32+flags", "out:code+data"];

pub const REPORTS: &[&str] = &["local_response", "header", "request_header", "shared_data", "log"];

pub const STEPS: &[&str] = &["call", "report", "trap", "spin"];

pub const TRAPS: &[&str] = &["unreachable", "oom"];

/// The content of `probe/capabilities.json` (PROBE.md "Lock step").
pub fn capabilities_json() -> String {
    fn list(out: &mut String, key: &str, items: &mut dyn Iterator<Item = &str>, last: bool) {
        out.push_str("  ");
        pwtck_common::json::write_str(out, key);
        out.push_str(": [");
        for (i, item) in items.enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            pwtck_common::json::write_str(out, item);
        }
        out.push(']');
        if !last {
            out.push(',');
        }
        out.push('\n');
    }
    let mut out = String::from("{\n");
    list(&mut out, "calls", &mut CALLS.iter().map(|c| c.name), false);
    list(&mut out, "args", &mut ARG_KINDS.iter().copied(), false);
    list(&mut out, "reports", &mut REPORTS.iter().copied(), false);
    list(&mut out, "callbacks", &mut CALLBACKS.iter().copied(), false);
    list(&mut out, "steps", &mut STEPS.iter().copied(), true);
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(CALLS.iter().filter(|c| c.module == Module::Env).count(), 39);
        assert_eq!(CALLS.iter().filter(|c| c.module == Module::Wasi).count(), 8);
        assert_eq!(CALLBACKS.len(), 25);
        let mut names: Vec<_> = CALLS.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CALLS.len());
    }

    #[test]
    fn i64_params() {
        let with_i64: Vec<_> = CALLS.iter().filter(|c| c.params.contains('I')).map(|c| c.name).collect();
        assert_eq!(with_i64, vec!["proxy_record_metric", "proxy_increment_metric", "wasi:clock_time_get"]);
    }

    /// Every raw import declared in runtime.rs has exactly the signature of this table.
    #[test]
    fn runtime_imports_match_the_table() {
        let src: String = include_str!("runtime.rs").split_whitespace().collect::<Vec<_>>().join(" ");
        let mut seen = 0;
        let mut rest = &src[..];
        // Declarations look like `fn proxy_log(a0: i32, a1: i32, a2: i32) -> i32;` (WASI ones are
        // named `wasi_<name>` with a `#[link_name]`); exported functions have a body instead.
        while let Some(at) = rest.find(" fn ") {
            rest = &rest[at + 4..];
            if !(rest.starts_with("proxy_") || rest.starts_with("wasi_")) {
                continue;
            }
            let end = rest.find([';', '{']).unwrap();
            if rest.as_bytes()[end] != b';' {
                continue;
            }
            let decl = &rest[..end];
            let name = &decl[..decl.find('(').unwrap()];
            let call_name = match name.strip_prefix("wasi_") {
                Some(r) => format!("wasi:{}", r),
                None => name.to_string(),
            };
            let sig = &CALLS[find(&call_name).unwrap_or_else(|| panic!("{} not in CALLS", call_name))];
            let params = &decl[decl.find('(').unwrap() + 1..decl.rfind(')').unwrap()];
            let types: String = params
                .split(',')
                .filter(|p| !p.trim().is_empty())
                .map(|p| if p.trim().ends_with("i64") { 'I' } else { 'i' })
                .collect();
            assert_eq!(types, sig.params, "{}", call_name);
            assert_eq!(decl.ends_with("-> i32"), sig.has_result, "{}", call_name);
            if sig.module == Module::Wasi {
                assert!(src.contains(&format!("#[link_name = \"{}\"] fn {}(", sig.import_name(), name)), "{}", name);
            }
            seen += 1;
        }
        assert_eq!(seen, CALLS.len());
    }

    #[test]
    fn callback_indexes() {
        assert_eq!(CALLBACKS[ON_VM_START], "on_vm_start");
        assert_eq!(CALLBACKS[ON_CONFIGURE], "on_configure");
        assert_eq!(CALLBACKS[ON_REQUEST_HEADERS], "on_request_headers");
    }

    #[test]
    fn capabilities_file_is_current() {
        let on_disk = include_str!("../capabilities.json");
        assert_eq!(on_disk, capabilities_json(), "run `cargo run -p pwtck-probe --example capabilities`");
    }
}
