"""The `akiya` command: serve, seed the demo, add users, check rubrics, import properties and candidate lists,
delete owners' data past its retention date, back up, move to PostgreSQL."""

from __future__ import annotations

import argparse
import asyncio
import functools
import getpass
import sys
from pathlib import Path

from server.core.settings import Settings, ValidationError, settings_help


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except ValidationError as exc:
        print(f"設定が正しくありません / invalid settings:\n{exc}", file=sys.stderr)
        return 2


def _settings(args) -> Settings:
    return Settings.from_env(db=getattr(args, "db", None), data_dir=getattr(args, "data_dir", None),
                             host=getattr(args, "host", None), port=getattr(args, "port", None),
                             workers=getattr(args, "workers", None))


def _parser() -> argparse.ArgumentParser:
    env_help = "\n".join(f"  {name:28} {help_} (default {default})" for name, default, help_ in settings_help())
    parser = argparse.ArgumentParser(
        prog="akiya", description="空き家調査・みまもりシステム akiya",
        epilog="settings from the environment:\n" + env_help, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(metavar="COMMAND")

    def db_options(p):
        p.add_argument("--db", help="SQLite database file or postgresql:// URL (AKIYA_DB)")
        p.add_argument("--data-dir", type=Path, help="photos and reports directory (AKIYA_DATA_DIR)")

    serve = sub.add_parser("serve", help="run the server")
    db_options(serve)
    serve.add_argument("--host", help="address to listen on (AKIYA_HOST)")
    serve.add_argument("--port", type=int, help="TCP port (AKIYA_PORT)")
    serve.add_argument("--workers", type=int, help="server processes sharing the port (AKIYA_WORKERS, default 1)")
    serve.set_defaults(func=_serve)

    seed = sub.add_parser("seed-demo", help="fill an empty database with the demo town (exit 2, changing nothing, when it holds any record)")
    db_options(seed)
    seed.set_defaults(func=_seed_demo)

    user = sub.add_parser("user", help="manage users").add_subparsers(metavar="ACTION")
    add = user.add_parser("add", help="add a user; the password is read from stdin or a prompt")
    db_options(add)
    add.add_argument("--role", required=True, choices=["carrier", "office", "municipality", "owner", "admin"])
    add.add_argument("--login", required=True)
    add.add_argument("--name", default="")
    where = add.add_mutually_exclusive_group()
    where.add_argument("--office", help="post office code (carrier, office)")
    where.add_argument("--municipality", help="municipality code (municipality)")
    add.add_argument("--owner-id", type=int, help="owner record (owner)")
    add.set_defaults(func=_user_add)

    passwd = user.add_parser("password", help="set a user's password (stdin or a prompt); signs them out everywhere")
    db_options(passwd)
    passwd.add_argument("--login", required=True)
    passwd.set_defaults(func=_user_password)

    letters = user.add_parser("owner-letters", help="let a post-office clerk see survey candidates' owners "
                                                     "(課税台帳, for the letters to owners), or take it back; audited")
    db_options(letters)
    letters.add_argument("--login", required=True)
    letters.add_argument("state", choices=["allow", "deny"])
    letters.set_defaults(func=_user_owner_letters)

    rubric = sub.add_parser("rubric", help="rubric files").add_subparsers(metavar="ACTION")
    check = rubric.add_parser("check", help="validate rubric files; exit 0 when all are valid")
    check.add_argument("paths", nargs="+", type=Path)
    check.set_defaults(func=_rubric_check)

    report = sub.add_parser("report", help="build documents in batches").add_subparsers(metavar="WHAT")
    owner = report.add_parser("owner", help="every owner's monthly watch report of a month")
    db_options(owner)
    owner.add_argument("--month", required=True, help="YYYY-MM")
    owner.add_argument("--out", type=Path, default=Path("var/reports"), help="output folder (default var/reports)")
    owner.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    owner.set_defaults(func=_report_owner)
    survey = report.add_parser("survey", help="a survey contract's report: PDF, CSV (UTF-8 and Shift_JIS), GeoJSON, "
                                "Shapefile (folder and ZIP), 空き家カルテ PDF, photo ZIP")
    db_options(survey)
    survey.add_argument("contract", type=int)
    survey.add_argument("--out", type=Path, default=Path("var/reports"), help="output folder (default var/reports)")
    survey.add_argument("--by-district", action="store_true", help="also one PDF per 大字 (small enough to e-mail)")
    survey.set_defaults(func=_report_survey)

    imp = sub.add_parser("import", help="import data").add_subparsers(metavar="WHAT")
    props = imp.add_parser("properties", help="import properties from CSV (UTF-8 or Shift_JIS)")
    db_options(props)
    props.add_argument("file", type=Path)
    props.add_argument("--municipality", required=True, help="municipality code (6 digits)")
    props.add_argument("--office", help="post office code covering these properties")
    props.set_defaults(func=_import_properties)

    cands = sub.add_parser("candidates", help="survey candidate lists (候補の抽出)").add_subparsers(metavar="ACTION")
    cimp = cands.add_parser("import", help="import a town's candidate list (CSV, UTF-8 or Shift_JIS) into a survey contract")
    db_options(cimp)
    cimp.add_argument("contract", type=int, help="survey contract number (id)")
    cimp.add_argument("file", type=Path)
    cimp.set_defaults(func=_import_candidates)
    purge = cands.add_parser("purge", help="delete the owners' personal data of every contract past its retention "
                                           "date (nightly: deploy/systemd/akiya-purge-owners.timer)")
    db_options(purge)
    purge.add_argument("--dry-run", action="store_true", help="only list what would be deleted; change nothing")
    purge.set_defaults(func=_purge_owner_data)

    backup = sub.add_parser("backup", help="consistent copy of the database and photos, also while serving")
    db_options(backup)
    backup.add_argument("dir", type=Path, help="empty folder to write the backup into")
    backup.set_defaults(func=_backup)
    restore = sub.add_parser("restore", help="bring a backup back (stop the server first)")
    db_options(restore)
    restore.add_argument("dir", type=Path, help="folder made by `akiya backup`")
    restore.add_argument("--force", action="store_true",
                         help="restore over existing data (it is moved aside as *.before-restore-<time>)")
    restore.set_defaults(func=_restore)

    move_help = ("move this SQLite installation to PostgreSQL (photos and reports to object storage with "
                 "--storage-url), verified by counts and hashes; stop the server first")
    move = sub.add_parser("migrate-to", help=move_help, description=move_help[0].upper() + move_help[1:] + ".")
    db_options(move)
    move.add_argument("url", help="target database, postgresql://user@host:port/dbname (migrated here; must hold no records)")
    move.add_argument("--storage-url", help="s3://bucket/prefix: copy photos and reports there (endpoint "
                      "AKIYA_S3_ENDPOINT_URL, credentials AWS_*); unset: they stay in --data-dir")
    move.add_argument("--verify-only", action="store_true", help="check a finished migration again; copy nothing")
    move.add_argument("--clean-control-chars", action="store_true",
                      help="replace control characters (NUL...) found in older rows by U+FFFD in the source first, "
                           "listing and auditing what changed (without it, NUL stops the migration before it starts)")
    move.set_defaults(func=_migrate_to)
    return parser


def _serve(args) -> int:
    from server.app import create_app
    from server.demo.mode import demo_refusal
    from server.ops.serving import run_server, uvicorn_config

    settings = _settings(args)
    if settings.demo and (problem := demo_refusal(settings)):
        print(problem, file=sys.stderr)
        return 2
    if settings.workers > 1:
        from server.ops.workers import serve_workers

        return serve_workers(settings, settings.workers)
    run_server(uvicorn_config(create_app(settings), settings))
    return 0


def _seed_demo(args) -> int:
    from server.demo.seed import NotEmpty, seed_demo

    settings = _settings(args)
    try:
        summary = asyncio.run(seed_demo(settings))
    except NotEmpty as exc:
        print(exc, file=sys.stderr)
        return 2
    print(summary)
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("パスワード: ")
        if getpass.getpass("もう一度: ") != first:
            raise SystemExit("パスワードが一致しません。")
        return first
    return sys.stdin.readline().rstrip("\r\n")  # a file written on Windows ends its line with CR LF


def _user_add(args) -> int:
    from server.core.audit import SYSTEM
    from server.db import database_for
    from server.core.errors import AppError
    from server.users.queries import add_user

    password = _read_password()

    async def run() -> int:
        async with database_for(_settings(args).db, readers=1) as db:
            return await db.write(add_user, SYSTEM, login=args.login, name=args.name, role=args.role,
                                  password=password, office_code=args.office,
                                  municipality_code=args.municipality, owner_id=args.owner_id)

    try:
        user_id = asyncio.run(run())
    except AppError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"added user {args.login} ({args.role}) id={user_id}")
    return 0


def _change_user(args, change, done: str) -> int:
    """`change(conn, actor, account)` for the user `args.login` names, in one write; `done` said after."""
    from server.core.audit import SYSTEM
    from server.core.errors import AppError
    from server.db import database_for
    from server.users.queries import user_by_login

    async def run() -> bool:
        async with database_for(_settings(args).db, readers=1) as db:
            async def write(conn):
                account = await user_by_login(conn, args.login)
                if account is None:
                    return False
                await change(conn, SYSTEM, account)
                return True
            return await db.write(write)

    try:
        found = asyncio.run(run())
    except AppError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    if not found:
        print(f"ログイン名 {args.login} のユーザーはいません。", file=sys.stderr)
        return 1
    print(done)
    return 0


def _user_password(args) -> int:
    from server.users.queries import set_password

    password = _read_password()
    return _change_user(args, lambda conn, actor, account: set_password(conn, actor, account.id, password),
                        f"password of {args.login} changed; every sign-in of that user was ended")


def _user_owner_letters(args) -> int:
    from server.users.queries import set_sees_owner_letters

    allow = args.state == "allow"
    return _change_user(args, lambda conn, actor, account: set_sees_owner_letters(conn, actor, account, allow),
                        f"{args.login}: 所有者情報の閲覧を{'許可しました' if allow else '取り消しました'}。")


def _rubric_check(args) -> int:
    from server.rubrics import check_rubric_files

    errors = check_rubric_files(args.paths)
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return 1
    print(f"{len(args.paths)} rubric file(s) OK")
    return 0


def _report_owner(args) -> int:
    import re

    from server.documents.batch import BatchFailed, owner_reports
    from server.core.errors import AppError

    if not re.match(r"^\d{4}-(0[1-9]|1[0-2])$", args.month):
        print("--month は 2026-11 のように「年-月」で指定してください。", file=sys.stderr)
        return 2
    try:
        paths = asyncio.run(owner_reports(_settings(args), args.month, args.out, args.workers))
    except BatchFailed as exc:
        print(f"{len(exc.written)} 件の報告書を {args.out} に作成しました。{len(exc.failed)} 件は作成できませんでした。",
              file=sys.stderr)
        return 1
    except AppError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"{len(paths)} 件の報告書を {args.out} に作成しました。")
    return 0


def _report_survey(args) -> int:
    from server.documents.batch import FilesSkipped, survey_reports
    from server.core.errors import AppError

    try:
        paths = asyncio.run(survey_reports(_settings(args), args.contract, args.out, args.by_district))
    except FilesSkipped as exc:
        for path in exc.written:
            print(path)
        for reason in exc.reasons:
            print(f"作成しませんでした（ほかのファイルは作成済み）: {reason}", file=sys.stderr)
        return 1
    except AppError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


def _import_properties(args) -> int:
    from server.core.audit import SYSTEM
    from server.db import database_for
    from server.core.errors import AppError
    from server.properties.csv_import import CsvImportError, parse_properties_csv
    from server.properties.queries import import_properties

    async def run() -> list[str]:
        rows = parse_properties_csv(args.file.read_bytes())
        async with database_for(_settings(args).db, readers=1) as db:
            return await db.write(import_properties, SYSTEM, rows, args.municipality, args.office)

    try:
        ids = asyncio.run(run())
    except CsvImportError as exc:
        for error in exc.errors:
            print(f"{args.file}:{error.row}: {error.message}", file=sys.stderr)
        print(f"{exc.total} 件のエラーがあるため、何も取り込みませんでした。", file=sys.stderr)
        return 1
    except AppError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"{len(ids)} 件の物件を取り込みました。")
    return 0


def _import_candidates(args) -> int:
    from server.core.audit import SYSTEM
    from server.core.errors import AppError
    from server.db import database_for
    from server.survey_candidates.csv_file import CandidateFileError
    from server.survey_candidates.service import import_candidate_file

    async def run():
        async with database_for(_settings(args).db, readers=1) as db:
            return await import_candidate_file(db, SYSTEM, None, args.contract, args.file.read_bytes())

    try:
        parsed, result = asyncio.run(run())
    except CandidateFileError as exc:
        for error in exc.errors:
            where = f"{error.line} 行目" + (f"「{error.column}」列" if error.column else "") if error.line else "ファイル"
            print(f"{args.file}: {where}: {error.message}", file=sys.stderr)
        print(f"{exc.total} 件のエラーがあるため、何も取り込みませんでした。", file=sys.stderr)
        return 1
    except AppError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"文字コード {parsed.encoding} として読みました（{result.rows} 行）。")
    if result.already_imported:
        print("このファイルは既にこの契約に取り込み済みです。何も変更していません。")
    else:
        print(f"新しい候補 {result.new_candidates} 件、追加した抽出理由 {result.new_reasons} 件、"
              f"照合待ち {result.queued} 件、所有者 {result.owners} 件を取り込みました。")
    return 0


def _purge_owner_data(args) -> int:
    from reports.dates import western_date
    from server.core.audit import SYSTEM
    from server.db import database_for
    from server.owner_data.retention import purge_due

    async def run():
        async with database_for(_settings(args).db, readers=1) as db:
            return await purge_due(db, SYSTEM, dry_run=args.dry_run)

    done = asyncio.run(run())
    verb = "削除します（--dry-run: 何も変更していません）" if args.dry_run else "削除しました"
    for p in done:
        print(f"契約 {p.contract_id}「{p.title}」（保存期限 {western_date(p.keep_until)}）: 所有者 {p.owners} 件、"
              f"回答の連絡先 {p.contacts} 件を{verb}。")
    if not done:
        print("保存期限を過ぎた契約はありません。何も削除していません。")
    return 0


def _backup(args) -> int:
    from server.ops.backup import BackupError, backup

    settings = _settings(args)
    try:
        manifest = backup(settings.db, settings.data_dir, args.dir, storage_url=settings.storage_url)
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"バックアップしました: {args.dir}（検査記録 {manifest.counts.get('inspections', 0)} 件、"
          f"ファイル {len(manifest.files)} 個）")
    return 0


def _restore(args) -> int:
    from server.ops.backup import BackupError, restore

    settings = _settings(args)
    try:
        manifest = restore(args.dir, settings.db, settings.data_dir, force=args.force, storage_url=settings.storage_url)
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"復元しました: {settings.db}（{manifest.created_at} のバックアップ、ファイル {len(manifest.files)} 個）")
    return 0


def _migrate_to(args) -> int:
    from server.db import is_postgres_url
    from server.db.url_password import hidden, hide_in_logs, shown
    from server.ops.migrate_to import MigrateError, migrate_to, verify

    hide_in_logs(args.url)
    settings = _settings(args)
    if settings.db_is_postgres:
        print("移行元は SQLite のデータベースです（--db / AKIYA_DB にファイルを指定してください）。", file=sys.stderr)
        return 2
    if not is_postgres_url(args.url):
        print(f"移行先は postgresql:// の URL で指定してください: {shown(args.url)}", file=sys.stderr)
        return 2
    if args.storage_url and settings.storage_url:
        print("写真は既にオブジェクトストレージ（AKIYA_STORAGE_URL）にあります。--storage-url を付けずに実行し、"
              "新しいサーバーも同じ AKIYA_STORAGE_URL を使ってください。 / photos are in object storage already.",
              file=sys.stderr)
        return 2
    run = verify if args.verify_only else functools.partial(migrate_to, clean_control_chars=args.clean_control_chars)

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)
    try:
        report = asyncio.run(run(settings.db, settings.data_dir, args.url, args.storage_url, say))
    except MigrateError as exc:
        print(hidden(str(exc), args.url), file=sys.stderr)
        return 1
    except Exception as exc:  # whatever the driver raised: its message may quote the URL's password
        print(f"移行できませんでした / migration failed: {type(exc).__name__}: {hidden(str(exc), args.url)}",
              file=sys.stderr)
        return 1
    print(report.render())
    if not report.ok:
        if not args.verify_only:
            print("移行先のデータベースには何も書き込んでいません（空のままです）。原因を直してからもう一度実行してください。"
                  " / nothing was committed to the target database.", file=sys.stderr)
        return 1
    if not args.verify_only:
        storage = f" AKIYA_STORAGE_URL={args.storage_url or settings.storage_url}" if (
            args.storage_url or settings.storage_url) else f" AKIYA_DATA_DIR={settings.data_dir}"
        print(f"\n次の設定でサーバーを起動してください / start the server with:\n  AKIYA_DB={shown(args.url)}{storage} akiya serve")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
