//! The `undersigned` binary: parse the command line, load the settings, start logging, run.

use std::process::ExitCode;

use clap::Parser;
use undersigned::{allocator, cli, config::Settings, telemetry};

fn main() -> ExitCode {
    allocator::limit_arenas();
    actix_web::rt::System::new().block_on(run())
}

async fn run() -> ExitCode {
    let command = cli::Cli::parse();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("undersigned: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log);
    match cli::run(command, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("undersigned: {error:#}");
            ExitCode::FAILURE
        }
    }
}
