use clap::Parser;
use guwen_api::logs::RequestSpans;
use tracing_subscriber::util::SubscriberInitExt;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Log lines are written in batches (see `guwen_api::logs`); what is buffered is written
    // out when `written` is dropped, before `main` ends.
    let (writer, written) = guwen_api::logs::Batched::new(std::io::stderr());
    // Colours only on a terminal: a log file or collector gets plain text.
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    // `GUWEN_LOG_FORMAT=json`: one JSON object per line, with the request span's fields.
    let json =
        std::env::var("GUWEN_LOG_FORMAT").is_ok_and(|f| f.trim().eq_ignore_ascii_case("json"));
    if json || !terminal {
        guwen_api::logs::write_access_lines_to(writer.clone(), json);
    }
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(terminal)
        .with_writer(writer);
    // Lines logged while a request is served are in its span (see `guwen_api::logs`).
    if json {
        let logs = logs.json().with_current_span(true).with_span_list(false);
        RequestSpans::new(logs.finish()).init();
    } else {
        RequestSpans::new(logs.finish()).init();
    }
    let cli = guwen_api::cli::Cli::parse();
    let outcome = guwen_api::cli::run(cli).await;
    drop(written);
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("guwen: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
