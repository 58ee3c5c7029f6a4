use crate::logic::{self, Config};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use std::rc::Rc;
use std::time::Duration;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(OrgProductRoot { config: None }) });
}}

struct OrgProductRoot {
    config: Option<Rc<Config>>,
}

impl Context for OrgProductRoot {}

impl RootContext for OrgProductRoot {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = self.get_plugin_configuration().unwrap_or_default();
        match logic::parse(&bytes) {
            Ok(c) => {
                self.config = Some(Rc::new(c));
                true
            }
            Err(e) => {
                log::error!("{}", pwtck_common::bad_config_line("org-product", &e));
                false
            }
        }
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(OrgProductStream { config: self.config.clone(), reason: None }))
    }
}

struct OrgProductStream {
    config: Option<Rc<Config>>,
    /// Why the mapping did not fully happen; reported on the response.
    reason: Option<String>,
}

impl OrgProductStream {
    fn remember(&mut self, reason: String) {
        log::warn!("org-product: {}", reason);
        if self.reason.is_none() {
            self.reason = Some(reason);
        }
    }

    fn handle_response(&mut self, num_headers: usize, body_size: usize) -> Option<String> {
        let config = self.config.clone()?;
        if num_headers == 0 {
            return Some("call failed".to_string());
        }
        let status = self.get_http_call_response_header(":status").unwrap_or_default();
        if status != "200" {
            return Some(format!("status {}", status));
        }
        let body = self.get_http_call_response_body(0, body_size).unwrap_or_default();
        match logic::map_response(&body, &config.mapping) {
            Err(reason) => Some(reason),
            Ok(mapped) => {
                for m in &mapped.moves {
                    self.set_http_request_header(&m.remove, None);
                    self.add_http_request_header(&m.add, &m.value);
                }
                mapped.missing.map(|key| format!("missing {}", key))
            }
        }
    }
}

impl Context for OrgProductStream {
    fn on_http_call_response(&mut self, _token: u32, num_headers: usize, body_size: usize, _num_trailers: usize) {
        if let Some(reason) = self.handle_response(num_headers, body_size) {
            self.remember(reason);
        }
        // Always resume, on every path.
        self.resume_http_request();
    }
}

impl HttpContext for OrgProductStream {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let config = match &self.config {
            Some(c) => c.clone(),
            None => return Action::Continue,
        };
        let headers = logic::call_headers(&self.get_http_request_headers(), &config);
        let refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        match self.dispatch_http_call(
            &config.cluster,
            refs,
            None,
            vec![],
            Duration::from_millis(config.timeout_millis as u64),
        ) {
            Ok(_) => Action::Pause,
            Err(status) => {
                self.remember(format!("dispatch failed: {}", status as u32));
                Action::Continue
            }
        }
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        if let Some(reason) = &self.reason {
            self.add_http_response_header("x-pwtck-org-product-error", reason);
        }
        Action::Continue
    }
}
