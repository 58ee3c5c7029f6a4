use crate::logic::{self, Config, RECEIVED_KEY};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel, Status};
use pwtck_common::{cas_add, CAS_RETRIES};
use std::rc::Rc;
use std::time::Duration;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> {
        Box::new(QueueRoot { config: Rc::new(logic::parse(b"").unwrap()), queue_id: None, ticks: 0 })
    });
}}

struct QueueRoot {
    config: Rc<Config>,
    queue_id: Option<u32>,
    /// Messages enqueued by this VM so far.
    ticks: u64,
}

impl Context for QueueRoot {}

impl RootContext for QueueRoot {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = self.get_plugin_configuration().unwrap_or_default();
        let config = match logic::parse(&bytes) {
            Ok(c) => c,
            Err(e) => {
                log::error!("{}", pwtck_common::bad_config_line("queue", &e));
                return false;
            }
        };
        self.queue_id = Some(self.register_shared_queue(&config.queue));
        self.set_tick_period(Duration::from_millis(config.tick_millis as u64));
        self.config = Rc::new(config);
        true
    }

    fn on_tick(&mut self) {
        if let Some(id) = self.queue_id {
            self.ticks += 1;
            let msg = logic::message(self.ticks);
            if let Err(status) = self.enqueue_shared_queue(id, Some(msg.as_bytes())) {
                log::warn!("queue: enqueue failed: {}", status as u32);
            }
        }
    }

    fn on_queue_ready(&mut self, queue_id: u32) {
        let mut n = 0u64;
        while let Ok(Some(_)) = self.dequeue_shared_queue(queue_id) {
            n += 1;
        }
        let added = cas_add(
            || self.get_shared_data(RECEIVED_KEY),
            |value, cas| matches!(self.set_shared_data(RECEIVED_KEY, Some(value), cas), Err(Status::CasMismatch)),
            n,
            CAS_RETRIES,
        );
        if added.is_none() {
            log::warn!("queue: cas-exhausted adding {} to {}", n, RECEIVED_KEY);
        }
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(QueueStream { config: self.config.clone() }))
    }
}

struct QueueStream {
    config: Rc<Config>,
}

impl Context for QueueStream {}

impl HttpContext for QueueStream {
    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let (value, _) = self.get_shared_data(RECEIVED_KEY);
        let value = logic::received_value(value.as_deref());
        self.add_http_response_header(&self.config.header, &value);
        Action::Continue
    }
}
