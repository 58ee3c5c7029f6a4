use crate::config::{self, Config, Edits};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use std::rc::Rc;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> {
        Box::new(HeadersRoot { config: Rc::new(Config::default()) })
    });
}}

struct HeadersRoot {
    config: Rc<Config>,
}

impl Context for HeadersRoot {}

impl RootContext for HeadersRoot {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = self.get_plugin_configuration().unwrap_or_default();
        match config::parse(&bytes) {
            Ok(c) => {
                self.config = Rc::new(c);
                true
            }
            Err(e) => {
                log::error!("{}", pwtck_common::bad_config_line("headers", &e));
                false
            }
        }
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(HeadersStream { config: self.config.clone() }))
    }
}

struct HeadersStream {
    config: Rc<Config>,
}

impl Context for HeadersStream {}

impl HttpContext for HeadersStream {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let e: &Edits = &self.config.request;
        for name in &e.remove {
            self.set_http_request_header(name, None);
        }
        for (name, value) in &e.replace {
            self.set_http_request_header(name, Some(value));
        }
        for (name, value) in &e.add {
            self.add_http_request_header(name, value);
        }
        Action::Continue
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let e: &Edits = &self.config.response;
        for name in &e.remove {
            self.set_http_response_header(name, None);
        }
        for (name, value) in &e.replace {
            self.set_http_response_header(name, Some(value));
        }
        for (name, value) in &e.add {
            self.add_http_response_header(name, value);
        }
        for (name, path) in &self.config.properties {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            // Absent (NotFound) or unreadable (SerializationFailure/InternalFailure): not added.
            if let Ok(Some(bytes)) = proxy_wasm::hostcalls::get_property(path) {
                if let Ok(value) = std::str::from_utf8(&bytes) {
                    self.add_http_response_header(name, value);
                }
            }
        }
        Action::Continue
    }
}
