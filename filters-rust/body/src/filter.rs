use crate::logic::{self, Config, Side};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use std::rc::Rc;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(BodyRoot { config: Rc::new(Config::default()) }) });
}}

struct BodyRoot {
    config: Rc<Config>,
}

impl Context for BodyRoot {}

impl RootContext for BodyRoot {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = self.get_plugin_configuration().unwrap_or_default();
        match logic::parse(&bytes) {
            Ok(c) => {
                self.config = Rc::new(c);
                true
            }
            Err(e) => {
                log::error!("{}", pwtck_common::bad_config_line("body", &e));
                false
            }
        }
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(BodyStream { config: self.config.clone() }))
    }
}

struct BodyStream {
    config: Rc<Config>,
}

impl Context for BodyStream {}

impl HttpContext for BodyStream {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        if self.config.request.is_some() {
            self.set_http_request_header("content-length", None);
        }
        Action::Continue
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        let side: &Side = match &self.config.request {
            Some(s) => s,
            None => return Action::Continue,
        };
        if !end_of_stream {
            return Action::Pause;
        }
        let body = self.get_http_request_body(0, body_size).unwrap_or_default();
        let new = logic::apply(side, &body);
        self.set_http_request_body(0, body_size, &new);
        Action::Continue
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        if self.config.response.is_some() {
            self.set_http_response_header("content-length", None);
        }
        Action::Continue
    }

    fn on_http_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        let side: &Side = match &self.config.response {
            Some(s) => s,
            None => return Action::Continue,
        };
        if !end_of_stream {
            return Action::Pause;
        }
        let body = self.get_http_response_body(0, body_size).unwrap_or_default();
        let new = logic::apply(side, &body);
        self.set_http_response_body(0, body_size, &new);
        Action::Continue
    }
}
