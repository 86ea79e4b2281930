//! The `undersigned` binary: parse the command line, load the settings, start logging, run.

use std::process::ExitCode;

use clap::Parser;
use undersigned::{cli, config::Settings, telemetry};

#[actix_web::main]
async fn main() -> ExitCode {
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
