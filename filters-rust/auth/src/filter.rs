use crate::logic::{self, Config};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use std::rc::Rc;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(AuthRoot { config: None }) });
}}

struct AuthRoot {
    config: Option<Rc<Config>>,
}

impl Context for AuthRoot {}

impl RootContext for AuthRoot {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = self.get_plugin_configuration().unwrap_or_default();
        match logic::parse(&bytes) {
            Ok(c) => {
                self.config = Some(Rc::new(c));
                true
            }
            Err(e) => {
                log::error!("{}", pwtck_common::bad_config_line("auth", &e));
                false
            }
        }
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(AuthStream { config: self.config.clone() }))
    }
}

struct AuthStream {
    config: Option<Rc<Config>>,
}

impl Context for AuthStream {}

impl HttpContext for AuthStream {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let config = match &self.config {
            Some(c) => c.clone(),
            None => return Action::Continue,
        };
        let value = self.get_http_request_header(&config.header);
        if logic::allowed(&config, value.as_deref()) {
            return Action::Continue;
        }
        self.send_http_response(config.status, vec![("x-pwtck-auth", "denied")], Some(config.body.as_bytes()));
        Action::Pause
    }
}
