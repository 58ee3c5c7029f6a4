use crate::logic::{self, Config, STATUS_HEADER};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use std::rc::Rc;
use std::time::Duration;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(GrpcRoot { config: None }) });
}}

struct GrpcRoot {
    config: Option<Rc<Config>>,
}

impl Context for GrpcRoot {}

impl RootContext for GrpcRoot {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = self.get_plugin_configuration().unwrap_or_default();
        match logic::parse(&bytes) {
            Ok(c) => {
                self.config = Some(Rc::new(c));
                true
            }
            Err(e) => {
                log::error!("{}", pwtck_common::bad_config_line("grpc-callout", &e));
                false
            }
        }
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(GrpcStream { config: self.config.clone() }))
    }
}

struct GrpcStream {
    config: Option<Rc<Config>>,
}

impl Context for GrpcStream {
    /// The SDK delivers the first of `on_grpc_receive` (status 0, the message size) and
    /// `on_grpc_close` (the status, size 0) for a unary call, once.
    fn on_grpc_call_response(&mut self, _token: u32, status_code: u32, response_size: usize) {
        let message = if status_code == 0 {
            Some(if response_size > 0 {
                self.get_grpc_call_response_body(0, response_size).unwrap_or_default()
            } else {
                Vec::new()
            })
        } else {
            None
        };
        for (name, value) in logic::result_headers(status_code, message.as_deref()) {
            self.add_http_request_header(name, &value);
        }
        self.resume_http_request();
    }
}

impl HttpContext for GrpcStream {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let config = match &self.config {
            Some(c) => c.clone(),
            None => return Action::Continue,
        };
        // An empty HealthCheckRequest serializes to zero bytes: no message buffer (null, 0).
        match self.dispatch_grpc_call(
            &config.cluster,
            &config.service,
            &config.method,
            vec![("x-pwtck-from", b"grpc-callout")],
            None,
            Duration::from_millis(config.timeout_millis as u64),
        ) {
            Ok(_) => Action::Pause,
            Err(status) => {
                log::warn!("grpc-callout: dispatch failed: {}", status as u32);
                self.add_http_request_header(STATUS_HEADER, "dispatch-failed");
                Action::Continue
            }
        }
    }
}
