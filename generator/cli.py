"""The `budgetgen` command line: parses arguments and hands over to generator.commands.

Exit codes: 0 success, 1 data errors (the input or a render failed), 2 usage errors.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import NoReturn

from generator.commands.messages import describe
from generator.errors import BudgetgenError, UsageError

DESCRIPTION = """\
budgetgen：由一个 YAML 文件生成部门/单位预算公开文件（DOCX 与 PDF）。
budgetgen: generate the budget disclosure (预算公开) of a department or unit as DOCX and PDF
from one YAML file.

退出码 exit codes: 0 成功 ok, 1 数据错误 data errors, 2 用法错误 usage errors."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too; keep our bilingual form
        self.print_usage(sys.stderr)
        raise UsageError(f"命令用法错误：{message}", f"usage error: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="budgetgen", description=DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="校验输入并汇总主要数据 / validate and summarise",
                           description="校验 YAML：报告错误、警告，并列出主要计算结果。"
                                       " Validate the YAML, report errors and warnings, and print "
                                       "the key derived figures.")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.add_argument("--notes", action="store_true", help="也显示四舍五入提示 / also show rounding notes")
    check.add_argument("--strict", action="store_true", help="警告也视为失败 / fail on warnings too")
    _format_pack(check)

    render = sub.add_parser("render", help="生成 DOCX 与 PDF / write DOCX and PDF",
                            description="校验后生成预算公开文件，输出文件以输入文件名命名。"
                                        " Check, then write the disclosure; outputs are named "
                                        "after each input file's stem.")
    render.add_argument("files", nargs="+", type=Path, metavar="FILE|DIR")
    render.add_argument("-o", "--output", type=Path, default=Path("output"),
                        help="输出目录 / output folder (default: output)")
    render.add_argument("--format", default="docx,pdf",
                        help="docx、pdf、xlsx（表格数据）、json（表格与数字），逗号分隔 / docx, pdf, xlsx "
                             "(the tables as data), json (tables and figures), comma-separated "
                             "(default: docx,pdf)")
    render.add_argument("-j", "--jobs", type=int, default=None,
                        help="并行进程数 / parallel processes (default: number of cores)")
    render.add_argument("--dask", metavar="SCHEDULER", default=None,
                        help="在 Dask 集群上渲染（地址，或 local）/ render on a Dask cluster: "
                             "scheduler address, or 'local' (needs budgetgen[distributed])")
    render.add_argument("--pdfa", action="store_true",
                        help="生成 PDF/A-3b 并附上输入 YAML / PDF/A-3b with the input YAML attached")
    render.add_argument("--draft", action="store_true",
                        help="有未填写内容或错误时仍生成，每页标上格式包的草稿标记 / render despite placeholders and "
                             "errors, every page marked with the format pack's draft mark")
    render.add_argument("--engine", choices=("typst", "weasyprint"), default="typst",
                        help="PDF 排版引擎 / PDF engine (default: typst)")
    diff = sub.add_parser("diff", help="比较两版输入的公开内容 / what changes between two inputs",
                          description="先列出输入中修改的值，再列出两版生成的文件中变化的表格数字和句子；"
                                      "公开内容有变化时退出码为 1。 List the changed input values, then "
                                      "the table figures and sentences that change between the documents "
                                      "of two inputs; exit 1 when the published content changes.")
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    diff.add_argument("--html", type=Path, default=None, metavar="FILE",
                      help="另写一份可签字的修改说明（HTML）/ also write the changes as a change note "
                           "to sign (HTML)")
    _format_pack(diff)

    _format_pack(render)
    init = sub.add_parser("init", help="生成带注释的空白输入文件 / write a commented starter file",
                          description="生成带注释的输入文件模板，填写后即可通过 check。"
                                      " Write a commented starter YAML that passes check once filled in.")
    init.add_argument("--kind", choices=("部门", "单位"), default="部门")
    init.add_argument("--year", type=int, default=None, help="预算年度 / budget year (default: next year)")
    init.add_argument("-o", "--output", type=Path, default=None,
                      help="写入文件（默认输出到屏幕）/ write to FILE (default: stdout)")
    init.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite FILE")
    init.add_argument("--from", dest="last", type=Path, default=None, metavar="FILE",
                      help="由上年的输入（YAML 或工作簿）结转：上年合计成为上年数，今年金额待填写 / start from "
                           "last year's input: its totals become the prior-year figures")
    init.add_argument("--xlsx", action="store_true",
                      help="生成空白输入工作簿（默认 budget-YYYY.xlsx）/ write a blank input workbook "
                           "(default: budget-YYYY.xlsx)")
    _format_pack(init, "起始文件按该格式包的模板 / the starter file of that pack")

    _conversion(sub, "export", "FILE.yaml", "把 YAML 输入写成工作簿 / write an input as a workbook",
                "把 YAML 输入文件写成可在 Excel/WPS 中填写的工作簿。"
                " Write a YAML input file as an input workbook (.xlsx).",
                "工作簿文件（默认同名 .xlsx）/ the workbook (default: FILE.xlsx)")
    _conversion(sub, "import", "FILE.xlsx", "把工作簿写回 YAML / write a workbook back as YAML",
                "把输入工作簿写成 YAML 输入文件。 Write an input workbook back as a YAML input file.",
                "YAML 文件（默认同名 .yaml）/ the YAML file (default: FILE.yaml)")
    _workbench(sub)
    return parser


def _workbench(sub: argparse._SubParsersAction) -> None:
    """`serve`, `user add` and `user unlock`: the web workbench (generator.workbench) and its accounts."""
    serve = sub.add_parser("serve", help="启动预算公开工作台（网页）/ start the disclosure workbench",
                           description="启动供填报人、审核人、管理员使用的网页工作台。"
                                       " Start the web workbench for clerks, reviewers and admins.")
    user = sub.add_parser("user", help="管理工作台账号 / workbench accounts",
                          description="在命令行创建工作台账号、解除登录锁定。"
                                      " Create workbench accounts, end a login lock, from the shell.")
    actions = user.add_subparsers(dest="user_command", required=True, metavar="ACTION", parser_class=_Parser)
    add = actions.add_parser("add", help="创建账号 / create an account")
    unlock = actions.add_parser("unlock", help="解除登录锁定 / end a login lock (django-axes)")
    for command in (serve, add, unlock):
        command.add_argument("--data", type=Path, default=Path("workbench-data"),
                             help="数据目录：SQLite 数据库与文件 / data folder (default: workbench-data)")
        command.add_argument("--db", default=None, metavar="URL",
                             help="数据库地址，如 postgresql://user:pass@host/db / database URL "
                                  "(default: SQLite in --data)")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址 / address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="端口 / port (default: 8000)")
    serve.add_argument("--demo", action="store_true",
                       help="载入示例部门并打印演示账号 / load demo departments, print demo accounts")
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", required=True, choices=("填报人", "审核人", "管理员"), help="角色 / role")
    add.add_argument("--dept", default=None, metavar="CODE", help="填报人所属部门编码 / a clerk's department code")
    add.add_argument("--password-stdin", action="store_true",
                     help="从标准输入读取密码 / read the password from standard input")
    unlock.add_argument("username", metavar="USERNAME")


def tune_collector() -> None:
    """Collect cyclic garbage less often than Python's default (every 700 allocations).

    A document allocates millions of short-lived objects (layout measurements, PDF boxes)
    while a large model and tree stay alive; each collection walks the live objects, so
    with the default the time grew with the square of the data (composing 10,000 projects:
    31 s, 2,500: 1.7 s). Nearly all garbage here is freed by reference counting anyway.
    """
    gc.set_threshold(100_000, 50, 100)


def _format_pack(command: argparse.ArgumentParser, also: str = "") -> None:
    command.add_argument("--format-pack", action="append", type=Path, default=[], metavar="DIR",
                         help="从文件夹加载格式包（可重复，见 docs/format-packs.md）/ load a format pack "
                              "from a folder (repeatable; see docs/format-packs.md)" + (f"; {also}" if also else ""))


def _conversion(sub: argparse._SubParsersAction, name: str, source: str, summary: str,
                description: str, output: str) -> None:
    """`export` and `import`: one file in, one file out, the same options."""
    command = sub.add_parser(name, help=summary, description=description)
    command.add_argument("file", type=Path, metavar=source)
    command.add_argument("-o", "--output", type=Path, default=None, help=output)
    command.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite the output")


def tolerant_streams() -> None:
    """Print Chinese on any terminal: where stdout/stderr cannot encode it (PYTHONIOENCODING=ascii,
    a C locale), characters are escaped (\\u4e2d) rather than end the command in a traceback."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if hasattr(stream, "reconfigure") and encoding not in ("utf8", "utf16", "utf32", "gb18030"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    tune_collector()
    tolerant_streams()
    try:
        args = build_parser().parse_args(argv)
        packs = []
        for folder in getattr(args, "format_pack", []):
            from generator.packs import add_pack_folder

            packs.append(add_pack_folder(folder))
        if args.command == "check":
            from generator.writers.fonts import prefetch

            prefetch()  # fontconfig answers while the command's modules are imported
            from generator.commands import check

            return check.run(args.files, notes=args.notes, strict=args.strict)
        if args.command == "init":
            from generator.commands import init

            if args.last is not None and not args.last.is_file():
                raise UsageError(f"找不到文件：{args.last}", f"no such file: {args.last}")
            return init.run(args.kind, args.year, args.output, force=args.force, xlsx=args.xlsx,
                            last=args.last, **({"format_name": packs[-1]} if packs else {}))
        if args.command in ("export", "import"):
            from generator.commands import export, import_

            command = export if args.command == "export" else import_
            return command.run(args.file, args.output, force=args.force)
        if args.command in ("serve", "user"):
            from generator.commands import serve

            if args.command == "serve":
                return serve.run(args.data, args.db, args.host, args.port, demo=args.demo)
            if args.user_command == "unlock":
                return serve.unlock_user(args.data, args.db, args.username)
            return serve.add_user(args.data, args.db, args.username, args.role, args.dept, args.password_stdin)
        if args.command == "diff":
            from generator.commands import diff

            return diff.run(args.old, args.new, as_json=args.json, html=args.html)
        from generator.commands import render

        if args.jobs is not None and args.jobs < 1:
            raise UsageError("-j 必须至少为 1", "-j must be at least 1")
        options = render.Options(output=args.output, formats=render.parse_formats(args.format),
                                 pdfa=args.pdfa, engine=args.engine, draft=args.draft)
        return render.run(args.files, options, args.jobs, scheduler=args.dask)
    except BudgetgenError as error:
        print(describe(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `budgetgen check x.yaml | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
