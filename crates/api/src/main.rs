use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Log lines are written by a thread of their own, in batches, so a request never waits
    // for the terminal or the disk (one access-log line per request would otherwise be one
    // write per request). When the writer falls behind, requests wait rather than lose lines;
    // what is buffered is written out when the process ends (`_written` is dropped).
    let (writer, _written) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stderr(),
        ));
    // Colours only on a terminal: a log file or collector gets plain text.
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(writer);
    // `GUWEN_LOG_FORMAT=json`: one JSON object per line, with the request span's fields.
    if std::env::var("GUWEN_LOG_FORMAT").is_ok_and(|f| f.trim().eq_ignore_ascii_case("json")) {
        logs.json()
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        logs.init();
    }
    let cli = guwen_api::cli::Cli::parse();
    match guwen_api::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("guwen: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
