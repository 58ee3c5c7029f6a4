use crate::logic::{self, Config};
use proxy_wasm::hostcalls;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel, MetricType, Status};
use pwtck_common::{cas_add, CAS_RETRIES};
use std::rc::Rc;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> {
        Box::new(CounterRoot { config: Rc::new(logic::parse(b"").unwrap()), metric_id: None })
    });
}}

struct CounterRoot {
    config: Rc<Config>,
    metric_id: Option<u32>,
}

impl Context for CounterRoot {}

impl RootContext for CounterRoot {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = self.get_plugin_configuration().unwrap_or_default();
        match logic::parse(&bytes) {
            Ok(c) => {
                match hostcalls::define_metric(MetricType::Counter, &c.metric) {
                    Ok(id) => self.metric_id = Some(id),
                    Err(status) => log::warn!("counter: define_metric failed: {}", status as u32),
                }
                self.config = Rc::new(c);
                true
            }
            Err(e) => {
                log::error!("{}", pwtck_common::bad_config_line("counter", &e));
                false
            }
        }
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(CounterStream { config: self.config.clone(), metric_id: self.metric_id, header: None }))
    }
}

struct CounterStream {
    config: Rc<Config>,
    metric_id: Option<u32>,
    /// Set by on_request_headers.
    header: Option<String>,
}

impl Context for CounterStream {}

impl HttpContext for CounterStream {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let key = self.config.key.clone();
        let count = cas_add(
            || self.get_shared_data(&key),
            |value, cas| matches!(self.set_shared_data(&key, Some(value), cas), Err(Status::CasMismatch)),
            1,
            CAS_RETRIES,
        );
        if let Some(id) = self.metric_id {
            let _ = hostcalls::increment_metric(id, 1);
        }
        self.header = Some(logic::header_value(count));
        Action::Continue
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        if let Some(value) = &self.header {
            self.add_http_response_header(&self.config.header, value);
        }
        Action::Continue
    }
}
