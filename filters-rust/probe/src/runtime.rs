//! The probe on wasm: raw host imports, the exported callbacks, the allocator and the step runner.
//! No SDK: every host call goes through a raw import and its i32 status is recorded unchanged.
//!
//! No RefCell borrow of the probe state is held across a host call, so a host that re-enters the
//! module (allocator, or a callback made from inside a host call) finds the state usable.

use crate::calls::{CALLBACKS, CALLS};
use crate::config::{self, Arg, Config, Entry, OutKind, ReportKind, Step, TrapKind};
use crate::results::{self, Record, SENTINEL, SLOT_LEN};
use std::alloc::{alloc, dealloc, Layout};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

// ---------------------------------------------------------------------------------------------
// Raw imports. One line per function, exactly the wasm signature of ABI.md §2 / §3.4; pointers
// and sizes are i32. `calls::tests::runtime_imports_match_the_table` checks these lines.

#[link(wasm_import_module = "env")]
extern "C" {
    fn proxy_done() -> i32;
    fn proxy_set_effective_context(a0: i32) -> i32;
    fn proxy_log(a0: i32, a1: i32, a2: i32) -> i32;
    fn proxy_get_log_level(a0: i32) -> i32;
    fn proxy_get_current_time_nanoseconds(a0: i32) -> i32;
    fn proxy_set_tick_period_milliseconds(a0: i32) -> i32;
    fn proxy_get_buffer_bytes(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32) -> i32;
    fn proxy_set_buffer_bytes(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32) -> i32;
    fn proxy_get_buffer_status(a0: i32, a1: i32, a2: i32) -> i32;
    fn proxy_get_header_map_size(a0: i32, a1: i32) -> i32;
    fn proxy_get_header_map_pairs(a0: i32, a1: i32, a2: i32) -> i32;
    fn proxy_set_header_map_pairs(a0: i32, a1: i32, a2: i32) -> i32;
    fn proxy_get_header_map_value(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32) -> i32;
    fn proxy_add_header_map_value(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32) -> i32;
    fn proxy_replace_header_map_value(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32) -> i32;
    fn proxy_remove_header_map_value(a0: i32, a1: i32, a2: i32) -> i32;
    fn proxy_continue_stream(a0: i32) -> i32;
    fn proxy_close_stream(a0: i32) -> i32;
    fn proxy_get_status(a0: i32, a1: i32, a2: i32) -> i32;
    fn proxy_send_local_response(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32, a6: i32, a7: i32) -> i32;
    fn proxy_http_call(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32, a6: i32, a7: i32, a8: i32, a9: i32)
        -> i32;
    fn proxy_grpc_call(
        a0: i32,
        a1: i32,
        a2: i32,
        a3: i32,
        a4: i32,
        a5: i32,
        a6: i32,
        a7: i32,
        a8: i32,
        a9: i32,
        a10: i32,
        a11: i32,
    ) -> i32;
    fn proxy_grpc_stream(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32, a6: i32, a7: i32, a8: i32) -> i32;
    fn proxy_grpc_send(a0: i32, a1: i32, a2: i32, a3: i32) -> i32;
    fn proxy_grpc_cancel(a0: i32) -> i32;
    fn proxy_grpc_close(a0: i32) -> i32;
    fn proxy_get_shared_data(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32) -> i32;
    fn proxy_set_shared_data(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32) -> i32;
    fn proxy_register_shared_queue(a0: i32, a1: i32, a2: i32) -> i32;
    fn proxy_resolve_shared_queue(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32) -> i32;
    fn proxy_enqueue_shared_queue(a0: i32, a1: i32, a2: i32) -> i32;
    fn proxy_dequeue_shared_queue(a0: i32, a1: i32, a2: i32) -> i32;
    fn proxy_define_metric(a0: i32, a1: i32, a2: i32, a3: i32) -> i32;
    fn proxy_record_metric(a0: i32, a1: i64) -> i32;
    fn proxy_increment_metric(a0: i32, a1: i64) -> i32;
    fn proxy_get_metric(a0: i32, a1: i32) -> i32;
    fn proxy_get_property(a0: i32, a1: i32, a2: i32, a3: i32) -> i32;
    fn proxy_set_property(a0: i32, a1: i32, a2: i32, a3: i32) -> i32;
    fn proxy_call_foreign_function(a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32) -> i32;
}

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    #[link_name = "fd_write"]
    fn wasi_fd_write(a0: i32, a1: i32, a2: i32, a3: i32) -> i32;
    #[link_name = "clock_time_get"]
    fn wasi_clock_time_get(a0: i32, a1: i64, a2: i32) -> i32;
    #[link_name = "random_get"]
    fn wasi_random_get(a0: i32, a1: i32) -> i32;
    #[link_name = "environ_sizes_get"]
    fn wasi_environ_sizes_get(a0: i32, a1: i32) -> i32;
    #[link_name = "environ_get"]
    fn wasi_environ_get(a0: i32, a1: i32) -> i32;
    #[link_name = "args_sizes_get"]
    fn wasi_args_sizes_get(a0: i32, a1: i32) -> i32;
    #[link_name = "args_get"]
    fn wasi_args_get(a0: i32, a1: i32) -> i32;
    #[link_name = "proc_exit"]
    fn wasi_proc_exit(a0: i32);
}

/// Calls host function `CALLS[func]` with the expanded wasm arguments (already checked against
/// the signature). Integers are cut to their low 32 bits for i32 parameters. Returns the raw
/// status (`wasi:proc_exit` has none; 0 is recorded if it ever returns).
unsafe fn invoke(func: usize, a: &[u64]) -> i32 {
    let i = |k: usize| a[k] as u32 as i32;
    let l = |k: usize| a[k] as i64;
    match CALLS[func].name {
        "proxy_done" => proxy_done(),
        "proxy_set_effective_context" => proxy_set_effective_context(i(0)),
        "proxy_log" => proxy_log(i(0), i(1), i(2)),
        "proxy_get_log_level" => proxy_get_log_level(i(0)),
        "proxy_get_current_time_nanoseconds" => proxy_get_current_time_nanoseconds(i(0)),
        "proxy_set_tick_period_milliseconds" => proxy_set_tick_period_milliseconds(i(0)),
        "proxy_get_buffer_bytes" => proxy_get_buffer_bytes(i(0), i(1), i(2), i(3), i(4)),
        "proxy_set_buffer_bytes" => proxy_set_buffer_bytes(i(0), i(1), i(2), i(3), i(4)),
        "proxy_get_buffer_status" => proxy_get_buffer_status(i(0), i(1), i(2)),
        "proxy_get_header_map_size" => proxy_get_header_map_size(i(0), i(1)),
        "proxy_get_header_map_pairs" => proxy_get_header_map_pairs(i(0), i(1), i(2)),
        "proxy_set_header_map_pairs" => proxy_set_header_map_pairs(i(0), i(1), i(2)),
        "proxy_get_header_map_value" => proxy_get_header_map_value(i(0), i(1), i(2), i(3), i(4)),
        "proxy_add_header_map_value" => proxy_add_header_map_value(i(0), i(1), i(2), i(3), i(4)),
        "proxy_replace_header_map_value" => proxy_replace_header_map_value(i(0), i(1), i(2), i(3), i(4)),
        "proxy_remove_header_map_value" => proxy_remove_header_map_value(i(0), i(1), i(2)),
        "proxy_continue_stream" => proxy_continue_stream(i(0)),
        "proxy_close_stream" => proxy_close_stream(i(0)),
        "proxy_get_status" => proxy_get_status(i(0), i(1), i(2)),
        "proxy_send_local_response" => proxy_send_local_response(i(0), i(1), i(2), i(3), i(4), i(5), i(6), i(7)),
        "proxy_http_call" => proxy_http_call(i(0), i(1), i(2), i(3), i(4), i(5), i(6), i(7), i(8), i(9)),
        "proxy_grpc_call" => proxy_grpc_call(i(0), i(1), i(2), i(3), i(4), i(5), i(6), i(7), i(8), i(9), i(10), i(11)),
        "proxy_grpc_stream" => proxy_grpc_stream(i(0), i(1), i(2), i(3), i(4), i(5), i(6), i(7), i(8)),
        "proxy_grpc_send" => proxy_grpc_send(i(0), i(1), i(2), i(3)),
        "proxy_grpc_cancel" => proxy_grpc_cancel(i(0)),
        "proxy_grpc_close" => proxy_grpc_close(i(0)),
        "proxy_get_shared_data" => proxy_get_shared_data(i(0), i(1), i(2), i(3), i(4)),
        "proxy_set_shared_data" => proxy_set_shared_data(i(0), i(1), i(2), i(3), i(4)),
        "proxy_register_shared_queue" => proxy_register_shared_queue(i(0), i(1), i(2)),
        "proxy_resolve_shared_queue" => proxy_resolve_shared_queue(i(0), i(1), i(2), i(3), i(4)),
        "proxy_enqueue_shared_queue" => proxy_enqueue_shared_queue(i(0), i(1), i(2)),
        "proxy_dequeue_shared_queue" => proxy_dequeue_shared_queue(i(0), i(1), i(2)),
        "proxy_define_metric" => proxy_define_metric(i(0), i(1), i(2), i(3)),
        "proxy_record_metric" => proxy_record_metric(i(0), l(1)),
        "proxy_increment_metric" => proxy_increment_metric(i(0), l(1)),
        "proxy_get_metric" => proxy_get_metric(i(0), i(1)),
        "proxy_get_property" => proxy_get_property(i(0), i(1), i(2), i(3)),
        "proxy_set_property" => proxy_set_property(i(0), i(1), i(2), i(3)),
        "proxy_call_foreign_function" => proxy_call_foreign_function(i(0), i(1), i(2), i(3), i(4), i(5)),
        "wasi:fd_write" => wasi_fd_write(i(0), i(1), i(2), i(3)),
        "wasi:clock_time_get" => wasi_clock_time_get(i(0), l(1), i(2)),
        "wasi:random_get" => wasi_random_get(i(0), i(1)),
        "wasi:environ_sizes_get" => wasi_environ_sizes_get(i(0), i(1)),
        "wasi:environ_get" => wasi_environ_get(i(0), i(1)),
        "wasi:args_sizes_get" => wasi_args_sizes_get(i(0), i(1)),
        "wasi:args_get" => wasi_args_get(i(0), i(1)),
        "wasi:proc_exit" => {
            wasi_proc_exit(i(0));
            0
        }
        other => unreachable_name(other),
    }
}

#[cold]
fn unreachable_name(_: &str) -> i32 {
    core::arch::wasm32::unreachable()
}

// ---------------------------------------------------------------------------------------------
// Module start, ABI marker, allocator.

extern "C" {
    fn __wasm_call_ctors();
}

#[no_mangle]
pub extern "C" fn _initialize() {
    unsafe { __wasm_call_ctors() }
}

#[no_mangle]
pub extern "C" fn proxy_abi_version_0_2_1() {}

struct Global<T>(T);
// The probe is single-threaded wasm.
unsafe impl<T> Sync for Global<T> {}

/// Live allocations made for the host: address → size. Data the host hands over is freed once
/// recorded; a pointer the probe did not hand out is never freed.
static ALLOCATIONS: Global<RefCell<BTreeMap<usize, usize>>> = Global(RefCell::new(BTreeMap::new()));

const ALIGN: usize = 8;

#[no_mangle]
pub extern "C" fn proxy_on_memory_allocate(size: usize) -> *mut u8 {
    let size = size.max(1);
    let layout = match Layout::from_size_align(size, ALIGN) {
        Ok(l) => l,
        Err(_) => return std::ptr::null_mut(),
    };
    let p = unsafe { alloc(layout) };
    if !p.is_null() {
        ALLOCATIONS.0.borrow_mut().insert(p as usize, size);
    }
    p
}

fn free_host_data(ptr: u32) {
    let size = ALLOCATIONS.0.borrow_mut().remove(&(ptr as usize));
    if let Some(size) = size {
        unsafe { dealloc(ptr as usize as *mut u8, Layout::from_size_align_unchecked(size, ALIGN)) }
    }
}

fn memory_len() -> u64 {
    core::arch::wasm32::memory_size(0) as u64 * 65536
}

/// The bytes at `[ptr, ptr+size)` when inside memory (never dereferences anything else).
fn read_memory(ptr: u32, size: u32) -> Option<Vec<u8>> {
    if ptr == 0 || ptr as u64 + size as u64 > memory_len() {
        return None;
    }
    let mut v = vec![0u8; size as usize];
    unsafe { std::ptr::copy_nonoverlapping(ptr as usize as *const u8, v.as_mut_ptr(), size as usize) };
    Some(v)
}

// ---------------------------------------------------------------------------------------------
// State.

#[derive(Default)]
struct State {
    /// From the plugin configuration.
    config: Option<Rc<Config>>,
    /// From the VM configuration; used for `on_vm_start` only.
    vm_config: Option<Rc<Config>>,
    saved: BTreeMap<String, u64>,
    once_done: BTreeSet<usize>,
    records: BTreeMap<u32, Vec<Record>>,
    traces: BTreeMap<u32, Vec<String>>,
    roots: BTreeSet<u32>,
    /// The most recently created root context.
    root_id: Option<u32>,
    /// Stream context → its root context (the parent given to on_context_create).
    parents: BTreeMap<u32, u32>,
    /// Callout token → the stream context that made it (0 for a root context).
    tokens: BTreeMap<u32, u32>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

const RESULTS_KEY: &str = "pwtck.probe.results";
const TRACE_KEY: &str = "pwtck.probe.trace";
const DUMP_HEADER: &str = "x-pwtck-probe-dump";
const CAS_ATTEMPTS: usize = 100;

use crate::calls::{ON_CONFIGURE, ON_REQUEST_HEADERS, ON_VM_START};

// ---------------------------------------------------------------------------------------------
// Small raw-call helpers for the probe's own plumbing (reading its configuration, reports).

fn log_raw(level: i32, msg: &str) -> i32 {
    unsafe { proxy_log(level, msg.as_ptr() as i32, msg.len() as i32) }
}

/// Reads host data through a `(…, ret_ptr, ret_size)` call; frees the probe's copy.
fn take_data(ptr: u32, size: u32) -> Vec<u8> {
    let bytes = read_memory(ptr, size).unwrap_or_default();
    free_host_data(ptr);
    bytes
}

fn get_buffer(buffer_type: i32, size: u32) -> Result<Vec<u8>, i32> {
    let (mut p, mut s) = (0u32, 0u32);
    let st = unsafe {
        proxy_get_buffer_bytes(buffer_type, 0, size as i32, &mut p as *mut u32 as i32, &mut s as *mut u32 as i32)
    };
    if st != 0 {
        return Err(st);
    }
    Ok(take_data(p, s))
}

/// `(status, value, cas)`.
fn get_shared(key: &str) -> (i32, Option<Vec<u8>>, u32) {
    let (mut p, mut s, mut cas) = (0u32, 0u32, 0u32);
    let st = unsafe {
        proxy_get_shared_data(
            key.as_ptr() as i32,
            key.len() as i32,
            &mut p as *mut u32 as i32,
            &mut s as *mut u32 as i32,
            &mut cas as *mut u32 as i32,
        )
    };
    if st != 0 {
        return (st, None, 0);
    }
    (st, Some(take_data(p, s)), cas)
}

fn set_shared(key: &str, value: &[u8], cas: u32) -> i32 {
    unsafe {
        proxy_set_shared_data(
            key.as_ptr() as i32,
            key.len() as i32,
            value.as_ptr() as i32,
            value.len() as i32,
            cas as i32,
        )
    }
}

/// Appends JSON items to the JSON array under `key`, retrying on CAS mismatch.
fn append_shared(key: &str, items: &[String]) {
    for _ in 0..CAS_ATTEMPTS {
        let (st, value, cas) = get_shared(key);
        if st != 0 && st != 1 {
            return;
        }
        let new = results::append_to_array(value.as_deref(), items);
        match set_shared(key, &new, if st == 0 { cas } else { 0 }) {
            8 => continue,
            _ => return,
        }
    }
}

fn send_json_response(status: u32, body: &str) -> i32 {
    let details = "pwtck_probe";
    let headers = pwtck_common::serialize_pairs(&[("content-type", "application/json")]);
    unsafe {
        proxy_send_local_response(
            status as i32,
            details.as_ptr() as i32,
            details.len() as i32,
            body.as_ptr() as i32,
            body.len() as i32,
            headers.as_ptr() as i32,
            headers.len() as i32,
            -1,
        )
    }
}

fn add_header(map: i32, name: &str, value: &str) -> i32 {
    unsafe {
        proxy_add_header_map_value(
            map,
            name.as_ptr() as i32,
            name.len() as i32,
            value.as_ptr() as i32,
            value.len() as i32,
        )
    }
}

fn monotonic_ns() -> Option<u64> {
    let mut t: u64 = 0;
    let st = unsafe { wasi_clock_time_get(1, 1, &mut t as *mut u64 as i32) };
    if st == 0 {
        Some(t)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Callback runner.

/// What the callback's variables resolve to (besides saved values).
struct Invocation {
    callback: usize,
    context_id: u32,
    args: Vec<u32>,
    /// Index of this invocation's record in `records[context_id]`, once its steps run.
    record: std::cell::Cell<Option<usize>>,
}

impl Invocation {
    fn name(&self) -> &'static str {
        CALLBACKS[self.callback]
    }

    fn var(&self, name: &str) -> Option<u64> {
        if let Some(v) = with(|s| s.saved.get(name).copied()) {
            return Some(v);
        }
        let cb = self.name();
        let a = |k: usize| self.args.get(k).map(|&v| v as u64);
        match name {
            "context_id" => a(0),
            "root_context_id" => with(|s| {
                if s.roots.contains(&self.context_id) {
                    Some(self.context_id)
                } else {
                    s.parents.get(&self.context_id).copied().or(s.root_id)
                }
            })
            .map(u64::from),
            "token" if is_callout_callback(cb) => a(1),
            "origin_context_id" if is_callout_callback(cb) => {
                let token = self.args[1];
                Some(with(|s| s.tokens.get(&token).copied()).unwrap_or(0) as u64)
            }
            "queue_id" if cb == "on_queue_ready" => a(1),
            "function_id" if cb == "on_foreign_function" => a(1),
            "size" => match cb {
                "on_vm_start"
                | "on_configure"
                | "on_request_headers"
                | "on_request_body"
                | "on_request_trailers"
                | "on_response_headers"
                | "on_response_body"
                | "on_response_trailers"
                | "on_downstream_data"
                | "on_upstream_data" => a(1),
                "on_http_call_response" => a(3),
                "on_grpc_receive_initial_metadata"
                | "on_grpc_receive"
                | "on_grpc_receive_trailing_metadata"
                | "on_foreign_function" => a(2),
                _ => None,
            },
            _ => None,
        }
    }

    /// Starts this invocation's record (when its configured steps run).
    fn start_record(&self) {
        let index = with(|s| {
            let v = s.records.entry(self.context_id).or_default();
            v.push(Record {
                callback: self.name(),
                context_id: self.context_id,
                args: self.args.clone(),
                results: Vec::new(),
            });
            v.len() - 1
        });
        self.record.set(Some(index));
    }

    fn push_result(&self, result: String) {
        let index = match self.record.get() {
            Some(i) => i,
            None => return,
        };
        with(|s| {
            if let Some(r) = s.records.get_mut(&self.context_id).and_then(|v| v.get_mut(index)) {
                r.results.push(result);
            }
        });
    }

    fn results_json(&self) -> String {
        with(|s| results::results_json(s.records.get(&self.context_id).map(|v| &v[..]).unwrap_or(&[])))
    }

    fn current_record_json(&self) -> Option<String> {
        let index = self.record.get()?;
        with(|s| s.records.get(&self.context_id).and_then(|v| v.get(index)).map(Record::to_json))
    }
}

fn is_callout_callback(cb: &str) -> bool {
    cb == "on_http_call_response" || cb.starts_with("on_grpc_")
}

#[repr(C, align(8))]
struct Slot([u8; SLOT_LEN]);

fn run_call(inv: &Invocation, step_no: usize, func: usize, args: &[Arg], save: &Option<String>) {
    let sig = &CALLS[func];
    let mut wasm: Vec<u64> = Vec::with_capacity(sig.arity());
    // Keeps the argument bytes alive for the duration of the call.
    let mut buffers: Vec<Vec<u8>> = Vec::new();
    let mut outs: Vec<(OutKind, Vec<Box<Slot>>)> = Vec::new();
    for arg in args {
        match arg {
            Arg::Int(v) => wasm.push(*v),
            Arg::Bytes(b) => {
                let mut copy = Vec::with_capacity(b.len().max(1));
                copy.extend_from_slice(b);
                wasm.push(copy.as_ptr() as usize as u64);
                wasm.push(b.len() as u64);
                buffers.push(copy);
            }
            Arg::Var(name) => match inv.var(name) {
                Some(v) => wasm.push(v),
                None => {
                    inv.push_result(results::error_result(step_no, sig.name, &format!("unknown var {}", name)));
                    return;
                }
            },
            Arg::Out(kind) => {
                let slots: Vec<Box<Slot>> = (0..kind.slots()).map(|_| Box::new(Slot([SENTINEL; SLOT_LEN]))).collect();
                for s in &slots {
                    wasm.push(s.0.as_ptr() as usize as u64);
                }
                outs.push((*kind, slots));
            }
        }
    }
    let status = unsafe { invoke(func, &wasm) };
    drop(buffers);

    let mut rendered = Vec::with_capacity(outs.len());
    let mut first_saved: Option<u64> = None;
    let mut data_ptrs: Vec<u32> = Vec::new();
    for (kind, slots) in &outs {
        let raw: Vec<[u8; SLOT_LEN]> = slots.iter().map(|s| s.0).collect();
        let mut read = |p: u32, n: u32| {
            data_ptrs.push(p);
            read_memory(p, n)
        };
        let (json, saved) = results::render_out(*kind, &raw, &mut read);
        rendered.push(json);
        // save takes the first out that has a value (u32, u64, u32+flags, code+data).
        if first_saved.is_none() {
            first_saved = saved;
        }
    }
    // Data the host allocated for us has been copied into the record: give it back.
    for p in data_ptrs {
        free_host_data(p);
    }
    inv.push_result(results::call_result(step_no, sig.name, status, &rendered));

    if let (Some(name), Some(value)) = (save, first_saved) {
        with(|s| s.saved.insert(name.clone(), value));
    }
    // Remember callout tokens so that `origin_context_id` works.
    if status == 0 && matches!(sig.name, "proxy_http_call" | "proxy_grpc_call" | "proxy_grpc_stream") {
        if let Some((OutKind::U32, slots)) = outs.last() {
            let token = u32::from_le_bytes([slots[0].0[0], slots[0].0[1], slots[0].0[2], slots[0].0[3]]);
            with(|s| {
                let origin = if s.roots.contains(&inv.context_id) { 0 } else { inv.context_id };
                s.tokens.insert(token, origin);
            });
        }
    }
}

fn run_report(inv: &Invocation, kind: ReportKind, status: u32, name: &str) {
    match kind {
        ReportKind::LocalResponse => {
            send_json_response(status, &inv.results_json());
        }
        ReportKind::Header => {
            add_header(2, name, &inv.results_json());
        }
        ReportKind::RequestHeader => {
            add_header(0, name, &inv.results_json());
        }
        ReportKind::SharedData => {
            if let Some(record) = inv.current_record_json() {
                append_shared(RESULTS_KEY, &[record]);
            }
        }
        ReportKind::Log => {
            log_raw(2, &format!("probe: results {}", inv.results_json()));
        }
    }
}

fn trap_oom() -> ! {
    // Allocate (and keep) blocks until the allocator's memory.grow fails, then trap as Rust's
    // own out-of-memory handling would. Blocks start at 16 MiB and halve on failure down to
    // 64 KiB, so the limit is reached quickly. `black_box` keeps the optimizer from removing the
    // unused allocations.
    let mut size = 16 << 20;
    loop {
        let layout = Layout::from_size_align(size, 16).unwrap();
        let p = core::hint::black_box(unsafe { alloc(layout) });
        if p.is_null() {
            if size <= 64 * 1024 {
                core::arch::wasm32::unreachable();
            }
            size /= 2;
        }
    }
}

fn spin(ms: i64) {
    let start = match monotonic_ns() {
        Some(t) => t,
        None => return,
    };
    loop {
        let now = match monotonic_ns() {
            Some(t) => t,
            None => return,
        };
        if ms >= 0 && now.saturating_sub(start) >= (ms as u64).saturating_mul(1_000_000) {
            return;
        }
        core::hint::spin_loop();
    }
}

fn run_steps(inv: &Invocation, entry: &Entry) {
    for (n, step) in entry.steps.iter().enumerate() {
        match step {
            Step::Call { func, args, save } => run_call(inv, n, *func, args, save),
            Step::Report { kind, status, name } => run_report(inv, *kind, *status, name),
            Step::Trap(TrapKind::Unreachable) => core::arch::wasm32::unreachable(),
            Step::Trap(TrapKind::Oom) => trap_oom(),
            Step::Spin(ms) => spin(*ms),
        }
    }
}

/// `x-pwtck-probe-dump` handling; true when the request was answered.
fn dump_if_asked() -> bool {
    let (mut p, mut s) = (0u32, 0u32);
    let st = unsafe {
        proxy_get_header_map_value(
            0,
            DUMP_HEADER.as_ptr() as i32,
            DUMP_HEADER.len() as i32,
            &mut p as *mut u32 as i32,
            &mut s as *mut u32 as i32,
        )
    };
    if st != 0 {
        return false;
    }
    let value = take_data(p, s);
    let (key, clear) = match &value[..] {
        b"1" => (RESULTS_KEY, false),
        b"clear" => (RESULTS_KEY, true),
        b"trace" => (TRACE_KEY, false),
        _ => return false,
    };
    let (_, current, _) = get_shared(key);
    let body = match current {
        Some(v) if !v.is_empty() => String::from_utf8_lossy(&v).into_owned(),
        _ => "[]".to_string(),
    };
    send_json_response(200, &body);
    if clear {
        // Shared data has no delete: "emptying" stores an empty value (read back as []).
        set_shared(key, b"", 0);
    }
    true
}

fn flush_trace(context_id: u32) {
    let entries = with(|s| s.traces.remove(&context_id)).unwrap_or_default();
    if !entries.is_empty() {
        append_shared(TRACE_KEY, &entries);
    }
}

/// Reads a configuration buffer and parses it; on failure logs the ERROR line and returns None.
fn read_config(buffer_type: i32, size: u32, what: &str) -> Option<Config> {
    if size == 0 {
        return Some(Config::empty());
    }
    let bytes = match get_buffer(buffer_type, size) {
        Ok(b) => b,
        Err(st) => {
            log_raw(4, &format!("probe: bad config: cannot read the {} (status {})", what, st));
            return None;
        }
    };
    match config::parse(&bytes) {
        Ok(c) => Some(c),
        Err(e) => {
            log_raw(4, &format!("probe: bad config: {}", e));
            None
        }
    }
}

/// Runs one callback invocation and returns its return value (for callbacks that have one).
fn on_callback(callback: usize, args: &[u32]) -> u32 {
    let context_id = args[0];
    let name = CALLBACKS[callback];
    with(|s| s.traces.entry(context_id).or_default().push(results::trace_json(name, context_id, args)));
    let inv = Invocation { callback, context_id, args: args.to_vec(), record: std::cell::Cell::new(None) };

    // Configuration is read before the steps of the callback that carries it.
    if callback == ON_VM_START {
        match read_config(6, args[1], "VM configuration") {
            Some(c) => with(|s| s.vm_config = Some(Rc::new(c))),
            None => return 0,
        }
    }
    if callback == ON_CONFIGURE {
        match read_config(7, args[1], "plugin configuration") {
            Some(c) => with(|s| s.config = Some(Rc::new(c))),
            None => {
                with(|s| s.config = Some(Rc::new(Config::empty())));
                return 0;
            }
        }
    }

    let answered = callback == ON_REQUEST_HEADERS && dump_if_asked();

    let entry = with(|s| {
        let source = if callback == ON_VM_START { s.vm_config.clone() } else { s.config.clone() };
        source.and_then(|c| c.entry(callback))
    });
    let (action, result) = entry.as_ref().map(|e| (e.action, e.result)).unwrap_or((0, 1));
    if !answered {
        if let Some(entry) = entry {
            let run = !entry.once || with(|s| s.once_done.insert(callback));
            if run {
                inv.start_record();
                run_steps(&inv, &entry);
            }
        }
    }

    let (trace, is_root) =
        with(|s| (s.config.as_ref().map(|c| c.trace).unwrap_or(false), s.roots.contains(&context_id)));
    match name {
        "on_delete" => {
            if trace && !is_root {
                flush_trace(context_id);
            }
            with(|s| {
                s.records.remove(&context_id);
                s.traces.remove(&context_id);
                s.parents.remove(&context_id);
                if s.roots.remove(&context_id) && s.root_id == Some(context_id) {
                    s.root_id = None;
                }
            });
        }
        "on_tick" | "on_queue_ready" => {
            if trace {
                flush_trace(context_id);
            } else {
                with(|s| s.traces.remove(&context_id));
            }
        }
        _ => {}
    }

    if answered {
        return 1;
    }
    match name {
        "on_vm_start" | "on_configure" | "on_done" => result,
        _ => action,
    }
}

// ---------------------------------------------------------------------------------------------
// Exported callbacks (ABI.md §3.1), all 0.2.x signatures.

#[no_mangle]
pub extern "C" fn proxy_on_context_create(context_id: u32, parent_context_id: u32) {
    let args = [context_id, parent_context_id];
    if parent_context_id == 0 {
        // A root context: traced, but `on_context_create` steps are for stream contexts only.
        with(|s| {
            s.roots.insert(context_id);
            s.root_id = Some(context_id);
            s.traces.entry(context_id).or_default().push(results::trace_json("on_context_create", context_id, &args));
        });
    } else {
        with(|s| s.parents.insert(context_id, parent_context_id));
        on_callback(cb_index("on_context_create"), &args);
    }
}

macro_rules! export {
    ($export:ident, $cb:literal, ($($a:ident),*) -> u32) => {
        #[no_mangle]
        pub extern "C" fn $export($($a: u32),*) -> u32 {
            on_callback(cb_index($cb), &[$($a),*])
        }
    };
    ($export:ident, $cb:literal, ($($a:ident),*)) => {
        #[no_mangle]
        pub extern "C" fn $export($($a: u32),*) {
            on_callback(cb_index($cb), &[$($a),*]);
        }
    };
}

fn cb_index(name: &str) -> usize {
    crate::calls::callback_index(name).unwrap()
}

export!(proxy_on_vm_start, "on_vm_start", (root_context_id, vm_configuration_size) -> u32);
export!(proxy_on_configure, "on_configure", (root_context_id, plugin_configuration_size) -> u32);
export!(proxy_on_tick, "on_tick", (root_context_id));
export!(proxy_on_request_headers, "on_request_headers", (context_id, num_headers, end_of_stream) -> u32);
export!(proxy_on_request_body, "on_request_body", (context_id, body_size, end_of_stream) -> u32);
export!(proxy_on_request_trailers, "on_request_trailers", (context_id, num_trailers) -> u32);
export!(proxy_on_response_headers, "on_response_headers", (context_id, num_headers, end_of_stream) -> u32);
export!(proxy_on_response_body, "on_response_body", (context_id, body_size, end_of_stream) -> u32);
export!(proxy_on_response_trailers, "on_response_trailers", (context_id, num_trailers) -> u32);
export!(
    proxy_on_http_call_response,
    "on_http_call_response",
    (context_id, token, num_headers, body_size, num_trailers)
);
export!(proxy_on_grpc_receive_initial_metadata, "on_grpc_receive_initial_metadata", (context_id, token, num_elements));
export!(proxy_on_grpc_receive, "on_grpc_receive", (context_id, token, message_size));
export!(
    proxy_on_grpc_receive_trailing_metadata,
    "on_grpc_receive_trailing_metadata",
    (context_id, token, num_elements)
);
export!(proxy_on_grpc_close, "on_grpc_close", (context_id, token, status_code));
export!(proxy_on_queue_ready, "on_queue_ready", (context_id, queue_id));
export!(proxy_on_foreign_function, "on_foreign_function", (context_id, function_id, arguments_size));
export!(proxy_on_new_connection, "on_new_connection", (context_id) -> u32);
export!(proxy_on_downstream_data, "on_downstream_data", (context_id, data_size, end_of_stream) -> u32);
export!(proxy_on_upstream_data, "on_upstream_data", (context_id, data_size, end_of_stream) -> u32);
export!(proxy_on_downstream_connection_close, "on_downstream_connection_close", (context_id, peer_type));
export!(proxy_on_upstream_connection_close, "on_upstream_connection_close", (context_id, peer_type));
export!(proxy_on_log, "on_log", (context_id));
export!(proxy_on_done, "on_done", (context_id) -> u32);
export!(proxy_on_delete, "on_delete", (context_id));
