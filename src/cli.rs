//! The command line: `serve` (the default), `worker`, `migrate`, `admin` account commands, and
//! the operator's `backup`, `restore`, `export` and `import`.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

use crate::app::outbox::Worker;
use crate::app::{self, accounts};
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::{Password, PersonName, Role};
use crate::startup::Application;

#[derive(Debug, Parser)]
#[command(
    name = "undersigned",
    version,
    about = "Coordinate coalition open letters: draft, invite, collect signatures, release.",
    long_about = "Coordinate coalition open letters: draft, invite, collect signatures, release.\n\n\
        Settings come from config/default.toml (built in), config/local.toml and \
        UNDERSIGNED_SECTION__KEY environment variables; see the README."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the web app and deliver email (the default command).
    Serve {
        /// Leave the mail worker out: another process (`undersigned worker`) delivers email.
        #[arg(long)]
        no_worker: bool,
    },
    /// Apply pending migrations, then only deliver queued email, until SIGTERM or Ctrl-C.
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load a demo letter (to the UN Secretary-General, about an invented country) with 17
    /// invited organizations and some answers, to see every screen at once.
    Demo,
    /// Manage admin accounts and their API tokens.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Copy the live SQLite database and the server secret into one archive, while the service
    /// runs (on PostgreSQL, use pg_dump; see docs/OPERATIONS.md). Keep the archive as safe as
    /// the server: it holds the secret sign links derive from.
    Backup {
        /// The archive to write (a tar file; replaced if it exists).
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup made by `backup` back: the database where `database.url` points (which
    /// must not exist yet) and the secret into the data folder.
    Restore {
        /// The archive `backup` wrote.
        #[arg(long)]
        from: PathBuf,
    },
    /// Write every table (letters, answers, releases, the audit trail, accounts) to one file,
    /// to move the installation to another database.
    Export {
        /// The file to write (JSON lines; replaced if it exists).
        #[arg(long)]
        to: PathBuf,
    },
    /// Load a file written by `export` into a new, empty database, with ids and times kept.
    /// Copy secret.key from the old data folder first.
    Import {
        /// The file `export` wrote.
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an admin account; the password is read from standard input.
    Create {
        /// Email address the admin signs in with.
        #[arg(long)]
        email: String,
        /// The admin's name, as shown to colleagues and in the audit log.
        #[arg(long)]
        name: String,
        /// Read the password from the first line of standard input (required, so that it
        /// never appears in the shell history or the process list).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Set a new password for an account (for one who lost theirs); every session of the
    /// account ends. The password is read from standard input.
    ResetPassword {
        /// Email address of the account.
        #[arg(long)]
        email: String,
        /// Read the new password from the first line of standard input (required).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Print a new API token for an account on the last line of standard output.
    Token {
        /// Email address of the account the token acts for.
        #[arg(long)]
        email: String,
        /// A note that says where the token is used.
        #[arg(long, default_value = "command line")]
        label: String,
    },
}

/// Runs the chosen command with the loaded settings.
pub async fn run(cli: Cli, mut settings: Settings) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve { no_worker: false });
    if matches!(
        command,
        Command::Migrate
            | Command::Admin(_)
            | Command::Demo
            | Command::Backup { .. }
            | Command::Export { .. }
            | Command::Import { .. }
    ) {
        // One-shot commands use one connection at a time.
        settings.database.pool_size = 1;
    }
    match command {
        Command::Serve { no_worker } => serve(settings, no_worker).await,
        Command::Worker => worker(settings).await,
        Command::Migrate => {
            let context = app::Context::open(settings, Clock::system()).await?;
            println!("The {} database is up to date.", context.db.backend());
            Ok(())
        }
        Command::Admin(command) => admin(command, settings).await,
        Command::Demo => demo(settings).await,
        Command::Backup { to } => backup(settings, &to).await,
        Command::Restore { from } => restore(&settings, &from),
        Command::Export { to } => export(settings, &to).await,
        Command::Import { from } => import(settings, &from).await,
    }
}

async fn backup(settings: Settings, to: &std::path::Path) -> anyhow::Result<()> {
    app::backup::sqlite_database(&settings)?;
    existing_database(&settings)?;
    let context = app::Context::open_existing(settings, Clock::system()).await?;
    let manifest = app::backup::back_up(&context, to).await?;
    let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    println!(
        "Backed up the database (schema {}) {} to {} ({bytes} bytes).",
        manifest.schema_version,
        if manifest.secret_included {
            "and the server secret"
        } else {
            "without the secret (it comes from security.link_secret: keep that setting)"
        },
        to.display()
    );
    println!("Keep this file as safe as the server itself: it opens every sign link.");
    Ok(())
}

fn restore(settings: &Settings, from: &std::path::Path) -> anyhow::Result<()> {
    let restored = app::backup::restore(settings, from)?;
    println!(
        "Restored the backup of {} (schema {}) to {}{}.",
        restored.manifest.created_at,
        restored.manifest.schema_version,
        restored.database.display(),
        match &restored.secret {
            Some(path) => format!(", and the server secret to {}", path.display()),
            None => String::new(),
        }
    );
    println!("Start Undersigned as usual; a newer version applies its migrations on start.");
    Ok(())
}

async fn export(settings: Settings, to: &std::path::Path) -> anyhow::Result<()> {
    existing_database(&settings)?;
    let context = app::Context::open_existing(settings, Clock::system()).await?;
    let summary = app::transfer::export(&context, to).await?;
    println!(
        "Exported {} rows of {} tables from {} to {}.",
        summary.rows,
        summary.tables,
        summary.source,
        to.display()
    );
    Ok(())
}

/// Refuses to copy an SQLite database that does not exist: opening it would create an empty
/// one (and a new secret), and the copy would hold nothing. Run from the folder Undersigned
/// runs in, or with its `database.url`.
fn existing_database(settings: &Settings) -> anyhow::Result<()> {
    if let crate::config::DatabaseTarget::Sqlite(path) = settings.database_target()? {
        anyhow::ensure!(
            path.exists(),
            "there is no database at {} (from the working folder {}): run this in the folder \
             Undersigned runs in, or set database.url to its database",
            path.display(),
            std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default()
        );
    }
    Ok(())
}

async fn import(settings: Settings, from: &std::path::Path) -> anyhow::Result<()> {
    let key_file = settings.storage.data_dir.join("secret.key");
    anyhow::ensure!(
        !settings.security.link_secret.expose_secret().is_empty() || key_file.exists(),
        "{} does not exist: copy secret.key from the old installation's data folder first \
         (or set security.link_secret to its value). Sign links already sent and the \
         signatures of released letters depend on it",
        key_file.display()
    );
    let context = app::Context::open(settings, Clock::system()).await?;
    let summary = app::transfer::import(&context, from).await?;
    println!(
        "Imported {} rows of {} tables (exported from {}) into the {} database.",
        summary.rows,
        summary.tables,
        summary.source,
        context.db.backend()
    );
    Ok(())
}

async fn serve(settings: Settings, no_worker: bool) -> anyhow::Result<()> {
    let mut application = Application::build(settings, Clock::system()).await?;
    if no_worker {
        application = application.without_worker();
        tracing::warn!(
            "this instance runs no mail worker: emails, embargoed releases and scheduled \
             reminders wait until an `undersigned worker` runs on the same database"
        );
    }
    let context = application.context();
    tracing::info!(
        port = application.port(),
        database = context.db.backend(),
        base_url = %context.base_url.as_str(),
        mail_worker = !no_worker,
        metrics_port = application.metrics_port(),
        "Undersigned is serving"
    );
    for warning in context.settings.production_warnings() {
        tracing::warn!("{warning}");
    }
    print_setup_link(context).await?;
    application.run_until_stopped().await?;
    tracing::info!("stopped");
    Ok(())
}

/// While no account exists, prints a one-time link (valid for an hour) that creates the first
/// admin in the browser. It goes to the console, not to the log.
async fn print_setup_link(context: &app::Context) -> anyhow::Result<()> {
    let clock = context.clock.clone();
    let token = context
        .db
        .run(move |conn| app::sessions::create_setup_token(conn, &clock))
        .await?;
    if let Some(token) = token {
        println!(
            "\nNo account exists yet. Open this link within an hour to create the first admin:\n\n    {}\n",
            context.base_url.join(&format!("/setup/{token}"))
        );
    }
    Ok(())
}

/// Delivers email until SIGTERM or Ctrl-C, then finishes the emails in hand.
async fn worker(settings: Settings) -> anyhow::Result<()> {
    let metrics_listener = crate::startup::metrics_listener(&settings)?;
    let context = app::Context::open(settings, Clock::system()).await?;
    let worker = Worker::new(context.clone())?;
    let metrics = match metrics_listener {
        Some(listener) => {
            let port = listener.local_addr()?.port();
            let server = crate::web::metrics::server(listener, context.clone())?;
            let handle = server.handle();
            tokio::spawn(server);
            Some((port, handle))
        }
        None => None,
    };
    tracing::info!(
        database = context.db.backend(),
        transport = %worker.describe_transport(),
        metrics_port = metrics.as_ref().map(|(port, _)| *port),
        "Undersigned is delivering email"
    );
    let handle = worker.spawn();
    shutdown_signal().await?;
    tracing::info!("stopping: finishing the emails in hand");
    handle.stop().await;
    if let Some((_, metrics)) = metrics {
        metrics.stop(true).await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}

async fn demo(settings: Settings) -> anyhow::Result<()> {
    let context = app::Context::open(settings, Clock::system()).await?;
    let loader = context.clone();
    let (view, login) = context
        .db
        .run(move |conn| {
            let max_invitations = loader.settings.letters.max_invitations;
            app::demo::load(conn, &loader.clock, &loader.links(), max_invitations)
        })
        .await?;
    println!(
        "Loaded the demo letter “{}” with {} invited organizations.",
        view.view.current.title,
        view.invitation_total(),
    );
    println!(
        "Open {}",
        context
            .base_url
            .join(&format!("/app/letters/{}", view.view.letter.id))
    );
    match login {
        app::demo::DemoLogin::ExistingAdmin { email } => {
            println!("Log in with your admin account, {email}.");
        }
        app::demo::DemoLogin::DemoAdmin { email, password } => {
            println!("Log in at {} with", context.base_url.join("/login"));
            println!("  email:    {email}");
            println!("  password: {password}");
            println!("The password is shown only now; running the demo again sets a new one.");
        }
    }
    Ok(())
}

async fn admin(command: AdminCommand, settings: Settings) -> anyhow::Result<()> {
    let context = app::Context::open(settings, Clock::system()).await?;
    match command {
        AdminCommand::Create { email, name, .. } => {
            let email = context.parse_email(&email).context("--email")?;
            let name = PersonName::parse(&name).context("--name")?;
            let password = Password::parse(&read_password_line()?).context("the password")?;
            let account = accounts::NewAccount {
                email,
                name,
                password,
                role: Role::Admin,
            };
            let user = context
                .db
                .run(move |conn| {
                    accounts::create_account(
                        conn,
                        &context.clock,
                        app::audit::Who::System("command line"),
                        account,
                    )
                    .map_err(anyhow::Error::from)
                })
                .await?;
            println!("Created the admin account {}.", user.email);
        }
        AdminCommand::ResetPassword { email, .. } => {
            let email = context.parse_email(&email).context("--email")?;
            let password = Password::parse(&read_password_line()?).context("the password")?;
            let reset = context
                .db
                .run(move |conn| {
                    let user = accounts::account_by_email(conn, &email)?;
                    accounts::reset_password(
                        conn,
                        &context.clock,
                        app::audit::Who::System("command line"),
                        &user.id,
                        password,
                    )?;
                    Ok::<_, accounts::AccountError>(user.email)
                })
                .await?;
            println!("Set a new password for {reset}; its sessions have ended.");
        }
        AdminCommand::Token { email, label } => {
            let email = context.parse_email(&email).context("--email")?;
            let token = context
                .db
                .run(move |conn| {
                    accounts::issue_api_token(conn, &context.clock, &email, &label)
                        .map_err(anyhow::Error::from)
                })
                .await?;
            eprintln!(
                "A new API token (shown only this once; send it as `Authorization: Bearer …`):"
            );
            println!("{token}");
        }
    }
    Ok(())
}

/// The first line of standard input, without its line ending.
fn read_password_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
