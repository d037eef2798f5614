//! `ecs16-evidence`: see `app` for what each command does.

fn main() -> std::process::ExitCode {
    ecs16_evidence::app::main()
}
