"""What the workbench says: the messages of its pages and services, and its audit log's words, in one
place (the pages' own labels are in the templates). `{version}` is a Version (第3版)."""

from __future__ import annotations

# The actions of the audit log; submit, return and approve are also the review history's.
LOGIN, LOGIN_FAILED, UNLOCK = "登录", "登录失败", "解除锁定"
UPLOAD, UPLOAD_FAILED, EDIT = "上传", "上传失败", "修改"
SUBMIT, RETURN, APPROVE, PUBLISH = "提交", "退回", "批准", "公开"
DOWNLOAD, BATCH = "下载", "批量生成"
EDITED_IN_PAGE = "页面修改"  # a version's origin beside UPLOAD
UNLOCKED = "{username}：清除 {failures} 次登录失败"
UNLOCK_ACTION = "解除登录锁定"
UNLOCK_DONE = "已解除 {users} 个账号的登录锁定（清除 {failures} 次登录失败）"
ADMIN_ADDED, ADMIN_CHANGED, ADMIN_DELETED = "后台新增", "后台修改", "后台删除"  # in Django's admin (部门与用户管理)
ROLE_OF = "角色：{role}，所属部门：{department}"
NO_DEPARTMENT = "无"
DUE_OF = "截止日期：{due}"
DUE_OF_YEAR = "按年度截止日期"
CLERK_NEEDS_DEPARTMENT = "填报人必须指定所属部门"
NO_ROLE_SHORT = "未分配"
ACTIONS = (LOGIN, LOGIN_FAILED, UNLOCK, UPLOAD, UPLOAD_FAILED, EDIT, SUBMIT, RETURN, APPROVE, PUBLISH, DOWNLOAD,
           BATCH, ADMIN_ADDED, ADMIN_CHANGED, ADMIN_DELETED)  # the audit log's filter
NO_ROLE = "您的账号尚未分配角色（填报人、审核人或管理员），请联系管理员在“部门与用户管理”中设置。"

# Uploads and in-page edits
WHOLE_FILE = "文件"  # the group of the findings that no sheet holds (the file as a whole)
CHOOSE_FILE = "请选择要上传的工作簿（.xlsx）或 YAML 文件"
TOO_LARGE = "文件超过 {mb} MB 的上限，未被接受"
WRONG_KIND = ("只接受 .xlsx 工作簿或 .yaml 文件：.xls、WPS 的 .et 或 .csv 文件请在 Excel/WPS 中打开，"
              "“另存为”Excel 工作簿（.xlsx）后再上传")
NO_PLACE = "没有指定要修改的位置"
SAVED = "已保存为{version}：错误 {errors} 个，警告 {warnings} 个"
SAVED_BLOCKED = "。其中 {blocking} 处不能发布，改正前不能提交审核：见下方检查结果"
EDITED_HINT = "。您电脑上的文件没有这项修改：如要继续在 Excel 中修改，请先下载本版文件（含页面修改），以免再上传旧文件时丢失"
EDITED_NAME = "{stem}-第{version}版{suffix}"  # the file of a version edited in the page
UNREADABLE_UPLOAD = "文件未被接受，未形成新版本："
UNREADABLE_EDIT = "修改后的文件无法读取："
WORKER_DIED = ("（文件）", "处理该文件时进程退出、超时或内存不足，文件未被接受",
               "the worker died, timed out or ran out of memory on this file")
EDIT_NOT_SAVED = "修改未保存："
EDIT_WORKER_DIED = "处理进程意外退出，请重试"
WRONG_YEAR = ("文件的预算年度为 {file}，而本公开是 {disclosure} 年度：请在 {file} 年度的页面上传",
              "the file is for {file}, this disclosure for {disclosure}: upload it on the page of {file}")
WRONG_YEAR_AUDIT = "{filename}：年度不符"
TOO_MANY_AT_ONCE = "同时提交的版本过多，请重试"
VERSION_AUDIT = "{version} {filename}（错误 {errors}，警告 {warnings}）{note}"
EDIT_NOTE = "{path} 改为 {value}"

# Submit, review, publication
NOT_ALLOWED = "当前状态为“{status}”，不能{action}"
UPLOAD_OR_EDIT = "再上传或修改"
ASK_RETURN = "；如需修改，请联系审核人退回"
NO_VERSION = "还没有上传任何版本，不能提交"
GATE = "{version}还有 {blocking} 处不能发布的问题（错误、【待填写】或未选择的默认值），不能提交"
SUBMITTED = "{version}已提交审核"
COMMENT_NEEDED = "退回时请写明意见"
RETURNED = "已退回填报人"
APPROVED = "已批准，正在生成并封存公开文件"
PUBLICATION_FORM = "请填写公开日期（年-月-日）和以 http(s):// 开头的公开网址"
PUBLISHED = "已记录公开日期与网址"
UNKNOWN_ACTION = "未知操作"
SEND_AGAIN = "刚才的操作未保存（页面打开期间登录已过期，或地址是直接打开的）：请重新上传或重新点击按钮"
STALE = "本页显示的是{shown}，其后已有{current}：请刷新页面，看过{current}后再{action}"
AN_OLDER_VERSION = "较早的版本"
EDIT_ACTION = "修改"

# Files and renders
NO_RENDER_WITH_ERRORS = "有错误的版本不能生成文件"
NO_LAST_YEAR = "上年没有已批准的版本"
RETRY = "生成失败，请重试"
BLANK_NAME = "{code}-{year}-空白.xlsx"
CARRIED_NAME = "{code}-{year}-结转.xlsx"
CARRIED_AUDIT = "{year}年度结转工作簿"
ORIGINAL_AUDIT = "{version}原文件 {filename}"
OUTPUT_AUDIT = "{version} {format}"
