;; A small proxy-wasm filter, the "good" release: adds x-pwtck-gated: yes to every request
;; before it goes upstream. The tests fill the two placeholders in double braces (an extra import,
;; code at the start of on_request_headers) to build the broken variants, or leave them empty.
(module
  (import "env" "proxy_add_header_map_value"
    (func $add_header (param i32 i32 i32 i32 i32) (result i32)))
  {{EXTRA_IMPORT}}
  (memory (export "memory") 2)
  (data (i32.const 0x100) "x-pwtck-gated")
  (data (i32.const 0x120) "yes")
  (global $heap (mut i32) (i32.const 0x8000))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param $n i32) (result i32) (local $p i32)
    global.get $heap local.set $p
    global.get $heap local.get $n i32.add global.set $heap
    local.get $p)
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) i32.const 1)
  (func (export "proxy_on_configure") (param i32 i32) (result i32) i32.const 1)
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (local $i i32) (local $until i64)
    {{ON_REQUEST_HEADERS}}
    ;; map type 0 = request headers
    (drop (call $add_header (i32.const 0) (i32.const 0x100) (i32.const 13)
                            (i32.const 0x120) (i32.const 3)))
    i32.const 0)
  (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32) i32.const 0)
  (func (export "proxy_on_done") (param i32) (result i32) i32.const 1)
  (func (export "proxy_on_log") (param i32))
  (func (export "proxy_on_delete") (param i32)))
