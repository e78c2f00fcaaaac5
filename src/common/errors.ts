import type { Label, Lang } from './enums.js';

// Stable error codes with the message people read. The server puts the localized text in the
// problem+json `title`; clients branch on `code`, never on the text.
export const ERROR_MESSAGES = {
  validation_failed: {
    zh: '提交的数据有误，请检查标出的字段',
    en: 'The submitted data is invalid; check the marked fields',
  },
  malformed_json: { zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  body_too_large: { zh: '请求内容过大（上限 {limit}）', en: 'The request body is too large (limit {limit})' },
  unsupported_media_type: { zh: '不支持的请求内容类型', en: 'Unsupported content type' },
  not_found: { zh: '请求的内容不存在', en: 'The requested resource does not exist' },
  route_not_found: { zh: '接口不存在：{method} {url}', en: 'No such API endpoint: {method} {url}' },
  malformed_url: { zh: '请求地址格式不正确', en: 'The request URL is malformed' },
  url_too_long: { zh: '请求地址中的参数过长', en: 'A parameter in the request URL is too long' },
  malformed_request: {
    zh: '请求格式不正确（请求头中含有不允许的字符）',
    en: 'The request is malformed (a header holds characters that are not allowed)',
  },
  headers_too_large: { zh: '请求地址或请求头过长', en: 'The request URL or headers are too long' },
  unauthenticated: { zh: '请先登录', en: 'Please sign in first' },
  session_expired: { zh: '登录已过期，请重新登录', en: 'Your session has expired; please sign in again' },
  token_invalid: {
    zh: 'API 令牌无效、已过期或已被撤销',
    en: 'The API token is invalid, expired or revoked',
  },
  forbidden: { zh: '您没有执行此操作的权限', en: 'You are not allowed to do this' },
  csrf_failed: { zh: '页面已过期，请刷新后重试', en: 'The page is stale; reload and try again' },
  rate_limited: {
    zh: '操作过于频繁，请 {seconds} 秒后再试',
    en: 'Too many requests; try again in {seconds} seconds',
  },
  invalid_credentials: { zh: '用户名或密码错误', en: 'Wrong user name or password' },
  account_locked: {
    zh: '连续登录失败次数过多，账号已锁定，请于 {until} 后再试或联系管理员',
    en: 'Too many failed sign-ins; the account is locked until {until} or until an administrator unlocks it',
  },
  password_change_required: {
    zh: '请先修改初始密码',
    en: 'Please change your initial password first',
  },
  wrong_password: { zh: '当前密码不正确', en: 'The current password is wrong' },
  weak_password: {
    zh: '密码太短或太容易被猜到，不能使用',
    en: 'The password is too short or too easy to guess',
  },
  password_reused: {
    zh: '新密码不能与当前密码相同',
    en: 'The new password must differ from the current one',
  },
  login_taken: { zh: '登录名“{login}”已被使用', en: 'The login "{login}" is already taken' },
  department_name_taken: {
    zh: '同一上级部门下已有名为“{name}”的部门',
    en: 'A department named "{name}" already exists under the same parent',
  },
  department_code_taken: {
    zh: '部门编码“{code}”已被使用',
    en: 'The department code "{code}" is already taken',
  },
  department_cycle: {
    zh: '不能把部门移到它自己或它的下级部门之下',
    en: 'A department cannot be moved under itself or one of its sub-departments',
  },
  department_not_empty: {
    zh: '部门下还有 {users} 名在职用户或 {children} 个下级部门，不能停用',
    en: 'The department still has {users} active users or {children} sub-departments and cannot be deactivated',
  },
  department_inactive: { zh: '所选部门已停用', en: 'The selected department is deactivated' },
  cannot_deactivate_self: { zh: '不能停用自己的账号', en: 'You cannot deactivate your own account' },
  last_admin: {
    zh: '这是最后一个在职的系统管理员，不能停用或取消其管理员角色',
    en: 'This is the last active administrator; it cannot be deactivated or lose the admin role',
  },
  clearance_above_own: {
    zh: '不能授予高于自己的涉密等级',
    en: 'You cannot grant a clearance above your own',
  },
  token_not_found: { zh: 'API 令牌不存在或已吊销', en: 'The API token does not exist or is revoked' },
  calendar_year_unsupported: {
    zh: '{year} 年超出日历支持范围（{min}–{max}）',
    en: 'The year {year} is outside the supported calendar range ({min}–{max})',
  },
  calendar_range_too_large: {
    zh: '一次最多计算 {max} 个工作日',
    en: 'At most {max} working days per request',
  },
  invalid_date: { zh: '日期格式应为 YYYY-MM-DD', en: 'Dates must be written as YYYY-MM-DD' },
  invalid_cursor: {
    zh: '分页参数无效，请从第一页重新开始',
    en: 'Invalid page cursor; start again from the first page',
  },
  export_too_large: {
    zh: '导出超过 {max} 行，请缩小筛选范围',
    en: 'The export exceeds {max} rows; narrow the filter',
  },
  custom_field_taken: {
    zh: '已有标识为“{key}”的自定义字段',
    en: 'A custom field with the key "{key}" exists',
  },
  credit_code_taken: {
    zh: '统一社会信用代码 {creditCode} 已建档：{archiveCode} {name}',
    en: 'The credit code {creditCode} already has an archive: {archiveCode} {name}',
  },
  credit_code_other_archive: {
    zh: '该统一社会信用代码属于档案 {archiveCode}，与档案编号不一致',
    en: 'This credit code belongs to the archive {archiveCode}, not to the archive code given',
  },
  credit_code_taken_hidden: {
    zh: '统一社会信用代码 {creditCode} 已建档，但您无权查看该档案，请联系档案管理员',
    en: 'The credit code {creditCode} already has an archive you may not see; ask the archivist',
  },
  possible_duplicate: {
    zh: '已有名称相近的客户档案：{matches}。确认不是同一客户后可继续保存',
    en: 'Archives with a near-identical name exist: {matches}. Save anyway if it is a different customer',
  },
  customer_not_editable: {
    zh: '档案状态为“{status}”，不能修改',
    en: 'The archive is {status} and cannot be changed',
  },
  filing_incomplete: {
    zh: '备案前请补全：{fields}',
    en: 'Complete these before filing: {fields}',
  },
  already_filed: { zh: '该档案已备案', en: 'The archive is already filed' },
  filing_pending: {
    zh: '该档案已提交备案，正在等待销售总监审批',
    en: 'The archive has been submitted for filing and waits for approval',
  },
  filing_not_pending: {
    zh: '该档案没有待审批的备案申请',
    en: 'The archive has no filing waiting for approval',
  },
  standard_check_not_standard: {
    zh: '只有外来标准、法规等外来文件（客户提供资料除外）需要查新',
    en: 'Only external standards and laws (not customer documents) are checked for currency',
  },
  secrecy_above_own: {
    zh: '不能设置高于自己涉密等级的密级',
    en: 'You cannot set a secrecy level above your own clearance',
  },
  user_owns_customers: {
    zh: '该用户仍负责客户档案，请先在“客户交接”中办理交接',
    en: 'This user is still responsible for customer archives; hand them over first (客户交接)',
  },
  merge_same: { zh: '不能把档案合并到它自己', en: 'An archive cannot be merged into itself' },
  merge_not_allowed: {
    zh: '档案“{archiveCode}”状态为“{status}”，不能合并',
    en: 'The archive {archiveCode} is {status} and cannot be merged',
  },
  user_has_loans: {
    zh: '该用户还有 {count} 件借出的档案未归还，请先到借阅台办理归还后再停用',
    en: 'This user still has {count} borrowed item(s) out; have them returned at the lending desk before deactivating',
  },
  handover_nothing: {
    zh: '该用户没有需要交接的客户档案或待办事项',
    en: 'This user has no customer archives or open items to hand over',
  },
  handover_not_owned: {
    zh: '档案 {archiveCode} 不由交出人负责',
    en: "The archive {archiveCode} is not the leaving person's",
  },
  disposal_executor_clearance: {
    zh: '您不能执行此清册的销毁，请由具备相应涉密等级的档案管理员执行',
    en: 'You cannot carry out this register; an archivist cleared for it must do so',
  },
  handover_successor_clearance: {
    zh: '接收人{name}的涉密等级低于档案 {archiveCode} 的密级，不能接收该档案',
    en: '{name} is not cleared for the archive {archiveCode} and cannot take it over',
  },
  handover_same_user: { zh: '接收人不能是交出人本人', en: 'The successor cannot be the person leaving' },
  import_not_ready: {
    zh: '请先完成试导入检查（上传的文件保留 7 天）',
    en: 'Run the check first (uploaded files are kept for 7 days)',
  },
  file_required: { zh: '请选择要上传的文件', en: 'Choose a file to upload' },
  file_empty: { zh: '文件是空的（0 字节）', en: 'The file is empty (0 bytes)' },
  upload_malformed: {
    zh: '上传的内容不完整或格式不正确，请重新上传',
    en: 'The upload is incomplete or malformed; upload it again',
  },
  file_type: { zh: '只能上传 {types} 文件', en: 'Only {types} files can be uploaded' },
  file_too_large: { zh: '文件超过 {limit} 的上限', en: 'The file exceeds the limit of {limit}' },
  document_filed: {
    zh: '该文件已归档，档号 {archiveNo}',
    en: 'The document is already filed as {archiveNo}',
  },
  department_code_missing: {
    zh: '部门“{name}”没有编码，档号需要机构代码，请先在部门管理中设置',
    en: 'The department {name} has no code, which the archive number needs; set it under Departments',
  },
  version_not_current: {
    zh: '只能分发现行版本',
    en: 'Only the current version can be distributed',
  },
  document_not_effective: {
    zh: '该文件尚未批准生效，不能分发、盖章或作为现行版本使用',
    en: 'This document is not approved and in force yet; it cannot be distributed, stamped or used as current',
  },
  version_not_approved: {
    zh: '该版本尚未完成编制、审核、批准（当前：{state}），不能生效',
    en: 'This version has not been drawn up, reviewed and approved yet (now: {state}); it cannot come into force',
  },
  version_not_effective: {
    zh: '该版本的生效日期是 {date}，尚未生效',
    en: 'This version comes into force on {date}; it is not in force yet',
  },
  approval_locked: {
    zh: '文件的新版本正在审批（{state}），登记信息须退回后才能修改',
    en: 'A new version is under approval ({state}): the register entry can be changed after it is returned',
  },
  approval_state: {
    zh: '该版本当前为“{state}”，不能执行此步骤',
    en: 'This version is "{state}"; this step cannot be taken now',
  },
  approval_not_required: {
    zh: '该版本不需要编制、审核、批准流程',
    en: 'This version is not under approval',
  },
  approval_author: {
    zh: '编制人不能审核、会签或批准自己编制的文件',
    en: 'The author cannot review, countersign or approve their own document',
  },
  approval_reviewer_approves: {
    zh: '审核人不能再批准同一版本，须由另一人批准',
    en: 'Whoever reviewed the version cannot approve it too; someone else approves',
  },
  approval_signer_role: {
    zh: '您不能签署此步骤：审核由文件所属部门经理或总经理负责，会签由类别指定部门的经理负责，批准由总经理或副总经理负责',
    en: 'You cannot sign this step: the owning department’s manager or the general manager reviews, the managers of the departments the category names countersign, the general manager or a deputy approves',
  },
  countersign_not_pending: {
    zh: '该部门不在待会签之列（无需会签或已会签）',
    en: 'This department has no countersignature pending (none needed, or already given)',
  },
  version_draft_exists: {
    zh: '本文件已有一个未生效的新版本草稿，请先使其生效或放弃',
    en: 'This document already has a draft version; make it current or discard it first',
  },
  version_file_required: {
    zh: '电子文件的新版本须先上传文件，才能替代现行版本',
    en: 'An electronic record’s new version needs its file before it can replace the current one',
  },
  recall_list_changed: {
    zh: '待回收的副本已有变化（现有 {count} 份），请刷新后重新确认',
    en: 'The copies to recall have changed (now {count}); reload and confirm again',
  },
  version_state: {
    zh: '该版本（{status}）不能这样处理',
    en: 'This version ({status}) cannot be handled this way',
  },
  version_distributed: {
    zh: '该版本已分发副本，不能再更正、增删文件或撤回；如有变更请登记新版本',
    en: 'Copies of this version were distributed; it cannot be corrected, have files added or taken out, or be withdrawn — register a new version',
  },
  version_filed: {
    zh: '文件已归档（编档号），现行版本不能再更正、增删文件或撤回',
    en: 'The record is filed; its current version cannot be corrected, have files added or taken out, or be withdrawn',
  },
  version_first: {
    zh: '首个版本不能撤回；如需停用，请作废文件',
    en: 'The first version cannot be withdrawn; withdraw the document instead',
  },
  document_held: {
    zh: '文件处于冻结状态（{reason}），不能移除文件或撤回版本',
    en: 'The record is on hold ({reason}); files cannot be taken out nor versions withdrawn',
  },
  file_remove_last: {
    zh: '电子文件的现行版本至少要保留一个文件，请先上传替换的文件',
    en: 'The current version of an electronic record keeps at least one file; upload the replacement first',
  },
  stamp_draft: {
    zh: '未生效的版本草稿不能生成盖章副本',
    en: 'A draft version cannot be stamped',
  },
  customer_authorization_missing: {
    zh: '该客户文件用于生产/检验，须附上客户签字授权后才能发放受控副本；尚缺：{missing}',
    en: 'This customer document is used for production or inspection: a controlled copy is issued only once the customer’s signed authorisation is attached; missing: {missing}',
  },
  customer_secrecy_lower: {
    zh: '降低客户档案的密级会降低其中全部文件的密级，须由总经理决定',
    en: 'Lowering a customer archive’s level lowers every record in it: only the general manager decides it',
  },
  secrecy_move_needs_approval: {
    zh: '移入密级较低的客户档案会降低文件的密级，须先提出密级变更申请，经总经理批准',
    en: 'Moving the record into a less secret customer archive lowers its level: ask for a secrecy change the general manager approves first',
  },
  category_approval_switch: {
    zh: '不能在需审批（编制→审核→批准）和不需审批的类别之间改换；请按新类别重新登记，原文件作废',
    en: 'A document cannot move between a category with approval and one without; register it anew under the other category and withdraw this one',
  },
  production_use_copies_out: {
    zh: '该文件已有受控副本在外，须先附上客户签字授权，才能标为“用于生产/检验”',
    en: 'Controlled copies of this document are out: attach the customer’s signed authorisation before marking it as used for production or inspection',
  },
  authorization_fields_with_file: {
    zh: '客户授权的签字人和日期随签名授权文件登记；要更正，请重新上传授权文件',
    en: 'The signatory and date of the customer’s authorisation come with the signed file; upload it again to correct them',
  },
  secrecy_change_open: {
    zh: '该文件已有待审批的密级变更申请（{number}），请先审批',
    en: 'A secrecy change of this document ({number}) is waiting for a decision',
  },
  secrecy_change_same: {
    zh: '申请的密级和保密期限与现在相同',
    en: 'The level and term asked for are the current ones',
  },
  secrecy_change_decided: { zh: '该密级变更申请已审批', en: 'This secrecy change was already decided' },
  countersign_no_manager: {
    zh: '会签部门{departments}没有涉密等级足以会签本文件的在职部门经理；请先调整该部门经理的涉密等级，或修改文件类别的会签部门',
    en: 'The countersigning department(s) {departments} have no active manager cleared for this document; adjust the manager’s clearance or the category’s countersigning departments first',
  },
  secrecy_change_not_own: {
    zh: '只有申请人本人可以撤回密级变更申请',
    en: 'Only whoever asked for the secrecy change can withdraw it',
  },
  secrecy_change_own: {
    zh: '不能审批自己提出的密级变更申请',
    en: 'You cannot decide your own secrecy change request',
  },
  secrecy_change_needs_approval: {
    zh: '密级变更须提出申请，经总经理批准后生效（文件页面“密级变更”）',
    en: 'A change of level needs a request approved by the general manager (Secrecy change on the document page)',
  },
  authorization_not_needed: {
    zh: '只有客户提供的文件才需要附客户签字授权',
    en: 'Only customer-supplied documents take a customer authorisation',
  },
  project_status_unchanged: {
    zh: '项目已是“{status}”状态',
    en: 'The project is already {status}',
  },
  project_closed_edit: {
    zh: '项目已关闭，请先重新打开再修改',
    en: 'The project is closed; reopen it before changing it',
  },
  production_use_customer_only: {
    zh: '只有客户提供的文件才能标为“用于生产/检验”',
    en: 'Only customer-supplied documents can be marked as used for production or inspection',
  },
  copy_not_pending: { zh: '该副本不在待回收状态', en: 'This copy is not waiting to be recalled' },
  copy_not_recipient: {
    zh: '只有副本的接收人（或接收部门的经理）本人才能签字（谁接收谁签字）',
    en: 'Only the copy’s recipient (or a manager of the receiving department) signs for it',
  },
  copy_signed: { zh: '该副本已由 {name} 签收', en: 'This copy was already signed for by {name}' },
  authorization_type: {
    zh: '客户签字授权须为 PDF 或扫描图片（PNG、JPEG）',
    en: 'The customer’s signed authorisation must be a PDF or a scanned image (PNG, JPEG)',
  },
  receipt_type: {
    zh: '签收单扫描件须为 PDF 或图片（PNG、JPEG）',
    en: 'The scanned receipt must be a PDF or an image (PNG, JPEG)',
  },
  stamp_unsupported: {
    zh: '只能为 PDF 和图片（PNG、JPEG）生成盖章副本',
    en: 'Stamped copies are made of PDF files and images (PNG, JPEG) only',
  },
  stamp_too_large: {
    zh: '文件超过 {limit}，不能在线生成盖章副本，请打印后手工盖章',
    en: 'The file exceeds {limit}; print it and stamp it by hand',
  },
  document_obsolete: {
    zh: '文件已作废，不能修改或上传',
    en: 'The document is obsolete and cannot be changed',
  },
  document_destroyed: {
    zh: '文件已按销毁清册销毁，只保留著录信息',
    en: 'The document was destroyed under a destruction register; only its metadata remains',
  },
  content_destroyed: {
    zh: '文件内容已销毁',
    en: 'The content was destroyed',
  },
  hold_target_destroyed: { zh: '已销毁的文件不能冻结', en: 'A destroyed document cannot be put on hold' },
  hold_lifted: { zh: '该冻结已解除', en: 'The hold was already lifted' },
  appraisal_members: {
    zh: '鉴定小组至少要有一名档案管理员和一名业务部门人员',
    en: 'The appraisal group needs at least one archivist and one person from a business department',
  },
  appraisal_member_inactive: {
    zh: '鉴定小组成员“{name}”已停用',
    en: 'The group member {name} is deactivated',
  },
  appraisal_member_clearance: {
    zh: '鉴定小组成员“{name}”的涉密等级低于 {count} 份待鉴定文件的密级',
    en: 'The clearance of {name} is below the secrecy of {count} records to appraise',
  },
  appraisal_nothing_due: {
    zh: '没有可以鉴定的到期文件',
    en: 'No records are due for appraisal',
  },
  appraisal_not_due: {
    zh: '以下文件尚未到期、已在鉴定或已销毁，不能加入鉴定：{titles}',
    en: 'These records are not due, already in an appraisal or destroyed: {titles}',
  },
  appraisal_closed: { zh: '鉴定已结束，不能再修改', en: 'The appraisal is concluded and cannot change' },
  appraisal_incomplete: {
    zh: '还有 {missing} 条鉴定意见未填写（{members}），不能结束鉴定',
    en: '{missing} opinions are still missing ({members}); the appraisal cannot be concluded',
  },
  appraisal_item_unknown: { zh: '鉴定条目不属于本次鉴定', en: 'The item does not belong to this appraisal' },
  keep_needs_term: {
    zh: '继续保存须填写新的保管期限和理由',
    en: 'Keeping a record needs a new retention term and a reason',
  },
  keep_term_expired: {
    zh: '新的保管期限到 {due} 已届满，请选择更长的期限',
    en: 'The new term would end on {due}, which has passed; choose a longer term',
  },
  disposal_item_unavailable: {
    zh: '以下条目不是待销毁状态或已列入其他销毁清册：{titles}',
    en: 'These items are not awaiting destruction or are on another register: {titles}',
  },
  disposal_items_held: {
    zh: '以下文件处于冻结状态，不能列入或提交销毁清册：{titles}',
    en: 'These records are on hold and cannot be on a destruction register: {titles}',
  },
  disposal_last_item: {
    zh: '销毁清册至少保留一件档案；如不再销毁，可在签批时退回',
    en: 'A register keeps at least one item; a leader can reject it if nothing is to be destroyed',
  },
  disposal_status: {
    zh: '销毁清册当前状态为“{status}”，不能执行此操作',
    en: 'The destruction register is {status}; this step is not possible now',
  },
  disposal_not_approved: {
    zh: '销毁清册尚未经全部负责人签批，不能执行销毁',
    en: 'The register has not been signed by every leader; nothing may be destroyed yet',
  },
  disposal_already_signed: {
    zh: '您已在本清册的其他环节签字，同一人不能签两个环节',
    en: 'You already signed another step of this register; one person signs one step',
  },
  clearance_too_low: {
    zh: '您的涉密等级低于其中部分文件的密级，不能执行此操作',
    en: 'Your clearance is below the secrecy of some of these records',
  },
  disposal_signer_drafter: {
    zh: '您编制了这份销毁清册，不能再作为签批人签字',
    en: 'You drew up this destruction register, so you cannot sign it',
  },
  disposal_signer_role: {
    zh: '当前签批环节「{label}」不由您的角色签字',
    en: 'The current step "{label}" is not signed by your role',
  },
  disposal_signer_department: {
    zh: '「{label}」须由清册所列档案所属部门（或其上级部门）的部门经理签字',
    en: '"{label}" is signed by the manager of a department whose records are on the register (or of a department above it)',
  },
  witness_conflict: {
    zh: '监销人不能是清册的编制人或签批人：{name}',
    en: 'A witness cannot be the one who drew up or signed the register: {name}',
  },
  // Told only to someone who would otherwise sign (R-P1): no word of which records, how many or
  // how secret.
  signer_clearance: {
    zh: '您不能签批此清册的「{label}」环节，请由具备相应涉密等级的负责人签批',
    en: 'You cannot sign the step "{label}" of this register; it needs a leader with the required clearance',
  },
  witnesses_invalid: {
    zh: '须指定两名不同的在职监销人，且不能是执行销毁的档案管理员本人',
    en: 'Name two different active witnesses other than the archivist who destroys',
  },
  no_cleared_signer: {
    zh: '“{step}”这一步没有涉密等级足以签批清册中全部档案的人，无法提交',
    en: 'Nobody who may sign “{step}” is cleared for every record on the register; it cannot be submitted',
  },
  witness_clearance: {
    zh: '监销人“{name}”的涉密等级低于清册中部分文件的密级',
    en: 'The clearance of witness {name} is below the secrecy of some records on the register',
  },
  witness_already_signed: { zh: '您已签字确认', en: 'You have already signed' },
  witness_unchecked: {
    zh: '请逐条核对：还有 {count} 条未确认',
    en: 'Check every item: {count} are not confirmed',
  },
  no_cleared_approver: {
    zh: '没有涉密等级足以审批这些档案的总经理，无法提交申请',
    en: 'No general manager is cleared to approve these records; the request cannot be submitted',
  },
  period_too_long: {
    zh: '借阅期限最长 {max} 天，更长的需要续借',
    en: 'A period is at most {max} days; longer needs a renewal',
  },
  item_not_physical: {
    zh: '“{label}”没有纸质载体，只能申请电子查阅',
    en: '"{label}" has no paper original; ask for electronic access instead',
  },
  request_status: {
    zh: '申请当前状态为“{status}”，不能执行此操作',
    en: 'The request is {status}; this step is not possible now',
  },
  request_decided: {
    zh: '该审批环节已由他人处理，请刷新',
    en: 'Someone else has already decided this step; reload',
  },
  comment_required: { zh: '驳回或退回须填写理由', en: 'Rejecting or returning needs a reason' },
  letter_missing: {
    zh: '介绍信文件未上传或已失效，请重新上传',
    en: 'The letter of introduction was not uploaded; upload it again',
  },
  letter_type: {
    zh: '介绍信须为 PDF 或图片（JPG、PNG）',
    en: 'The letter of introduction must be a PDF or an image (JPG, PNG)',
  },
  item_out: {
    zh: '“{label}”已借出（{borrower}，应还 {due}），归还后才能再借出',
    en: '"{label}" is out ({borrower}, due {due}); it can be issued once it is back',
  },
  item_destroyed: {
    zh: '「{label}」已销毁，不能查阅或借阅',
    en: '"{label}" has been destroyed; it can be neither read nor lent',
  },
  request_item_destroyed: {
    zh: '「{label}」已销毁，不能批准查阅或借阅；请驳回本申请',
    en: '"{label}" has been destroyed and cannot be granted; reject this request',
  },
  item_issued: { zh: '“{label}”已按本申请借出', en: '"{label}" was already issued under this request' },
  loan_returned: { zh: '该借出记录已归还', en: 'This loan has already been returned' },
  renew_not_active: {
    zh: '只有已批准且仍在借阅期内的申请可以续借',
    en: 'Only an approved request still in its period can be renewed',
  },
  grant_no_download: {
    zh: '本次借阅（{number}）只批准查阅，不能下载；复制或打印须另行申请',
    en: 'Request {number} allows reading only; copying or printing needs its own approval',
  },
  grant_unstampable: {
    zh: '借阅期间只能下载可加盖借阅标记的 PDF 或图片文件',
    en: 'Under a loan only PDF and image files can be downloaded, with the loan stamp',
  },
  file_missing: {
    zh: '文件内容在存储中找不到，请联系管理员运行完整性检查',
    en: 'The stored content is missing; ask an administrator to run the integrity check',
  },
  master_key_missing: {
    zh: '该文件按密级加密存储，服务器未配置主密钥（KEDANG_MASTER_KEY），无法加密或解密；请联系管理员，未做任何更改',
    en: 'This file is stored encrypted for its secrecy level and the server has no master key (KEDANG_MASTER_KEY); ask an administrator — nothing was changed',
  },
  master_key_wrong: {
    zh: '该文件的数据密钥由另一个主密钥加密，当前配置的主密钥无法解密；请联系管理员检查主密钥，未做任何更改',
    en: 'The data key of this file is wrapped by another master key; the configured master key cannot open it — ask an administrator, nothing was changed',
  },
  encrypted_damaged: {
    zh: '加密存储的文件校验失败（内容被篡改或损坏）；请联系管理员运行完整性检查',
    en: 'An encrypted stored file failed its check (tampered with or damaged); ask an administrator to run the integrity check',
  },
  upload_lost: {
    zh: '文件在保存时被清理，请重新上传',
    en: 'The file was cleared away while it was being saved; upload it again',
  },
  backup_dir_invalid: {
    zh: '备份目录不能在数据目录的 blobs 或 tmp 之内，也不能是数据目录本身',
    en: 'The backup directory cannot be the data directory or lie inside its blobs or tmp',
  },
  backup_dir_unwritable: {
    zh: '服务器无法写入备份目录 {dir}',
    en: 'The server cannot write to the backup directory {dir}',
  },
  backup_failed: { zh: '备份失败：{reason}', en: 'The backup failed: {reason}' },
  backup_running: {
    zh: '已有一个备份正在进行，请等它完成',
    en: 'A backup is already running; wait until it has finished',
  },
  database_unavailable: { zh: '数据库暂时无法访问', en: 'The database is temporarily unavailable' },
  case_wrong_status: {
    zh: '该案件当前为“{status}”，不能进行此操作',
    en: 'The case is “{status}”; this step is not possible now',
  },
  case_not_complaint: { zh: '只有投诉需要判定是否成立', en: 'Only complaints are judged justified or not' },
  case_needs_triage: {
    zh: '投诉须先判定是否成立，成立后再分派处理',
    en: 'A complaint is first judged justified, then assigned',
  },
  case_handler_invalid: {
    zh: '处理人须是所选部门（或其下级部门）的在职人员，且密级不低于案件',
    en: 'The handler must be an active member of the chosen department (or one below it) cleared for the case',
  },
  case_handler_responsible: {
    zh: '被投诉的责任人不能处理本投诉',
    en: 'The person the complaint is about cannot handle it',
  },
  case_received_future: { zh: '受理时间不能晚于现在', en: 'The time received cannot be in the future' },
  case_type_unknown: { zh: '类型不存在或已停用：{type}', en: 'No such active type: {type}' },
  visit_not_open: {
    zh: '该回访任务当前为“{status}”，不能进行此操作',
    en: 'The visit task is “{status}”; this is not possible now',
  },
  visit_archive_inactive: {
    zh: '客户档案已停用或已合并，不能安排回访',
    en: 'The archive is inactive or merged; no visit can be planned',
  },
  // Satisfaction surveys (R-V3)
  survey_not_running: {
    zh: '该调查当前为“{status}”，不接受答复',
    en: 'The survey is “{status}”; no answers are accepted',
  },
  survey_expired: {
    zh: '该调查已于 {date} 截止，不再接受答复',
    en: 'The survey closed on {date}; no more answers are accepted',
  },
  survey_answered: { zh: '该客户已答复，不能重复提交', en: 'This customer has already answered' },
  survey_wrong_status: {
    zh: '该调查当前为“{status}”，不能进行此操作',
    en: 'The survey is “{status}”; this is not possible now',
  },
  survey_template_old: {
    zh: '只能用问卷的当前版本发起调查',
    en: 'A survey can only be started with the current version of a form',
  },
  survey_no_customers: {
    zh: '没有符合条件的客户',
    en: 'No customer matches the filters',
  },
  case_contact_invalid: { zh: '联系人不属于该客户', en: 'The contact does not belong to this customer' },
  case_incomplete: {
    zh: '请先填写：{fields}',
    en: 'Fill in first: {fields}',
  },
  case_stats_period: {
    zh: '统计期间最长 {max} 个月',
    en: 'A statistics period is at most {max} months',
  },
  sr_review_answered: {
    zh: '{department}已给出评审意见，不能撤回',
    en: '{department} has already given its review; it cannot be withdrawn',
  },
  case_archive_category: {
    zh: '归档类别 {category} 不存在或不属于客户档案',
    en: 'The filing category {category} does not exist or is not for customer archives',
  },
  action_owner_invalid: {
    zh: '责任人须是在职人员，能查看{source}且密级不低于它',
    en: 'The owner must be an active user who can see {source} and is cleared for it',
  },
  action_wrong_status: {
    zh: '该措施当前为“{status}”，不能进行此操作',
    en: 'The action is “{status}”; this step is not possible now',
  },
  action_verify_own: {
    zh: '不能验证自己负责的措施，请由其他品质人员验证',
    en: 'You cannot verify an action you own; someone else verifies it',
  },
  action_source_closed: {
    zh: '{source}已关闭，不能再新增措施',
    en: '{source} is closed; no more actions can be raised on it',
  },
  // Customer special requirements (R-S1, R-S2, R-S5).
  sr_state: {
    zh: '该顾客特殊要求当前为“{status}”，不能进行此操作',
    en: 'The special requirement is “{status}”; this is not possible now',
  },
  sr_not_implementable: {
    zh: '尚有未完成事项，不能确认已落实：{items}',
    en: 'Open work remains, so it cannot be confirmed implemented: {items}',
  },
  sr_list_empty: {
    zh: '该客户的顾客特殊要求清单中没有有效的要求，不能修订或传达整份清单',
    en: 'The customer’s list holds no requirement in force; it cannot be revised or distributed',
  },
  sr_archive_inactive: {
    zh: '客户档案已停用或已合并，不能登记顾客特殊要求',
    en: 'The archive is inactive or merged; no special requirement can be registered',
  },
  sr_no_recheck: {
    zh: '该要求没有需要复核的来源文件新版本',
    en: 'No new version of the source document waits for a re-check',
  },
  sr_no_project_clock: {
    zh: '该要求不是量产后接收的要求，或已记录传达项目组',
    en: 'The requirement was not received after mass production, or the project team was already told',
  },
  // Special characteristics (R-S4).
  sr_symbol_image: {
    zh: '特性符号图片只能是 SVG 或 PNG 图片（{reason}）',
    en: 'A symbol image must be an SVG or PNG image ({reason})',
  },
  sr_symbol_svg_unsafe: {
    zh: 'SVG 图片含有不允许的内容（{reason}）：请去掉脚本、事件处理和外部引用后再上传',
    en: 'The SVG holds content that is not allowed ({reason}): remove scripts, event handlers and external references',
  },
  sr_symbol_code_taken: {
    zh: '该顾客已有代码为“{code}”的特性符号',
    en: 'This customer already has a symbol coded "{code}"',
  },
  sr_char_class_mismatch: {
    zh: '符号“{symbol}”对应 {symbolClass}，与所填特性分类 {charClass} 不一致',
    en: 'The symbol "{symbol}" stands for {symbolClass}, not {charClass}',
  },
  // Orders and contract review (R-K1 … R-K3).
  order_state: {
    zh: '该订单当前为“{status}”，不能进行此操作',
    en: 'The order is “{status}”; this is not possible now',
  },
  order_archive_inactive: {
    zh: '客户档案已停用或已合并，不能登记订单',
    en: 'The archive is inactive or merged; no order can be registered',
  },
  order_reviews_open: {
    zh: '尚有部门未完成评审：{departments}',
    en: 'Departments have not reviewed yet: {departments}',
  },
  order_route_department: {
    zh: '评审部门未配置或已停用（部门代码：{codes}），请管理员在订单设置中修正后再提交',
    en: 'Review departments are missing or inactive (codes: {codes}); an administrator must fix the order settings first',
  },
  order_review_clearance: {
    zh: '以下评审部门没有涉密等级足以查看该客户档案的在职人员，无法评审：{departments}。请管理员调整人员涉密等级后再提交',
    en: 'Nobody active in these departments is cleared for the customer archive, so they cannot review: {departments}. An administrator must adjust clearances first',
  },
  order_credit_suspended: {
    zh: '该客户已暂停供货（信用），订单不能接受：{reason}',
    en: 'Deliveries to this customer are suspended (credit); the order cannot be accepted: {reason}',
  },
  order_withdraw_answered: {
    zh: '已有部门给出评审意见（{departments}），不能撤回；如需修改，请取消后重新登记',
    en: 'Departments have already answered ({departments}); the order cannot be withdrawn — cancel it and register it again',
  },
  // Orders: the review record and attachments.
  order_record_category: {
    zh: '文件类别“{category}”不存在或已停用，评审记录表无法归档',
    en: 'The document category "{category}" does not exist or is inactive; the review record cannot be filed',
  },
  order_feasibility_missing: {
    zh: '新产品订单须先上传可行性分析报告，{department}才能提交评审意见',
    en: 'A new product needs the feasibility report attached before {department} can give its review',
  },
  order_file_department: {
    zh: '可行性分析报告须属于本订单评审中的研发部门',
    en: 'A feasibility report belongs to the R&D review of this order',
  },
  // Amendments (R-K4).
  order_amendment_noop: {
    zh: '变更内容与订单现有内容相同，没有需要变更的项目',
    en: 'The amendment changes nothing: every proposed value is the order’s current one',
  },
  order_amendment_open: {
    zh: '该订单的{title}尚在评审中，须先签署后才能提出新的变更',
    en: 'Amendment {seq} of this order is still in review; sign it before proposing another',
  },
  order_amendment_state: {
    zh: '该变更当前为“{status}”，不能进行此操作',
    en: 'The amendment is “{status}”; this is not possible now',
  },
  order_amendment_overtaken: {
    zh: '第 {lineNo} 行在评审期间已交付 {delivered}，超过变更后的数量 {quantity}，不能签署；请驳回后按实际情况重新提出变更',
    en: 'Line {lineNo} has delivered {delivered} since the amendment was proposed, more than its new quantity {quantity}; reject it and propose a new one',
  },
  order_amendment_acknowledged: {
    zh: '本部门已于 {at} 确认收到该合同更改通知单',
    en: 'Your department acknowledged this change notice on {at}',
  },
  // Deliveries and delayed orders (R-K5).
  order_over_delivery: {
    zh: '交付数量超过订单数量：第 {lineNo} 行订购 {ordered}，已交付 {delivered}，本次 {quantity}；如客户同意超交，请勾选“允许超交”',
    en: 'More than ordered: line {lineNo} ordered {ordered}, delivered {delivered}, now {quantity}; tick “allow over-delivery” if the customer agreed',
  },
  order_delivery_future: {
    zh: '交付日期不能晚于今天（{today}）',
    en: 'The delivery date cannot be after today ({today})',
  },
  order_delay_date: {
    zh: '掉期后的新交期须晚于原交期（{dueOn}）',
    en: 'The new date of a delay must be after the date due ({dueOn})',
  },
  order_delay_complete: {
    zh: '第 {lineNo} 行已于 {completedOn} 交付完毕，无需登记掉期',
    en: 'Line {lineNo} was delivered in full on {completedOn}; there is no delay to record',
  },
  order_delivery_early: {
    zh: '交付日期不能早于接单日期（{receivedOn}）',
    en: 'The delivery date cannot be before the order was received ({receivedOn})',
  },
  order_period_too_long: {
    zh: '统计期间须在起止日期之内且不超过 {years} 年',
    en: 'The period must end after it starts and span at most {years} years',
  },
  // Customer analysis.
  analysis_period: {
    zh: '分析期间的结束月份不能早于开始月份，且不超过 {months} 个月',
    en: 'The period must end after it starts and span at most {months} months',
  },
  file_unreadable: {
    zh: '文件无法读取：{reason}',
    en: 'The file cannot be read: {reason}',
  },
  sales_import_columns: {
    zh: '表头缺少必填列：{columns}（请下载导入模板）',
    en: 'The header lacks required columns: {columns} (download the import template)',
  },
  abc_partial_scope: {
    zh: '客户等级按全部客户排名评定：您无权查看所选范围内的部分客户档案，不能评定等级，请由可查看全部客户的人员（如总经理）评定',
    en: 'Grades rank every customer: you may not see some archives in scope, so you cannot apply them — ask someone who sees all customers (the general manager)',
  },
  abc_nothing_to_apply: {
    zh: '所选期间没有销售数据，不能据此评定客户等级',
    en: 'There are no sales in the period to grade customers by',
  },
  internal_error: {
    zh: '服务器内部错误，请稍后重试（请求号 {requestId}）',
    en: 'Internal server error; try again later (request {requestId})',
  },
  // Importing orders from an ERP export (Excel/CSV): row problems in the error sheet.
  order_import_columns: {
    zh: '缺少必需的列：{columns}（请使用导入模板）',
    en: 'Required columns are missing: {columns} (use the import template)',
  },
  order_import_customer: {
    zh: '找不到客户档案“{customer}”（请填写档案编号或客户名称）',
    en: 'No customer archive “{customer}” (give the archive code or the customer name)',
  },
  order_import_customer_ambiguous: {
    zh: '有 {count} 个名为“{customer}”的客户档案，请填写档案编号',
    en: '{count} archives are named “{customer}”; give the archive code',
  },
  order_import_forbidden: {
    zh: '您无权为客户档案 {archiveCode} 登记订单',
    en: 'You may not register orders for the archive {archiveCode}',
  },
  order_import_po_taken: {
    zh: '该客户的订单号 {customerPo} 已登记为 {number}',
    en: 'The customer’s PO {customerPo} is already registered as {number}',
  },
  order_import_differs: {
    zh: '与第 {row} 行（同一订单）的值不一致：{value}',
    en: 'Differs from row {row} of the same order: {value}',
  },
  order_import_lines: {
    zh: '同一订单最多 {max} 行',
    en: 'An order has at most {max} lines',
  },
  order_import_choice: {
    zh: '无法识别“{value}”，可选：{options}',
    en: 'Unknown value “{value}”; use one of: {options}',
  },
  order_import_date: { zh: '日期格式应为 YYYY-MM-DD', en: 'Use a date as YYYY-MM-DD' },
  order_import_called_at: {
    zh: '来电时间格式应为 YYYY-MM-DD HH:mm',
    en: 'Use a time as YYYY-MM-DD HH:mm',
  },
  // Credit management and admission (R-A4).
  order_credit_suspended_new: {
    zh: '该客户已暂停供货（{reason}），不能登记或提交新订单',
    en: 'Deliveries to this customer are suspended ({reason}); no new order can be registered or submitted',
  },
  credit_request_state: {
    zh: '该申请当前为“{status}”，不能再审批',
    en: 'The request is “{status}”; it cannot be decided again',
  },
  credit_request_open: {
    zh: '该客户已有待审批的{kind}申请，请先审批或等待结果',
    en: 'A {kind} request for this customer is already pending',
  },
  credit_own_request: {
    zh: '不能审批自己提出的申请',
    en: 'You cannot decide a request you made yourself',
  },
  credit_suspension_same: {
    zh: '该客户当前已是“{state}”',
    en: 'The customer is already “{state}”',
  },
  credit_balance_future: {
    zh: '余额日期不能晚于今天（{today}）',
    en: 'The balance date cannot be after today ({today})',
  },
} satisfies Record<string, Label>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export function formatMessage(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

export function errorMessage(code: ErrorCode, lang: Lang, params?: Record<string, unknown>): string {
  return formatMessage(ERROR_MESSAGES[code][lang], params);
}

/** Problem details (RFC 9457) as sent by the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

export interface FieldError {
  /** Dotted path of the field, e.g. `contacts.0.phone`; empty for the whole body. */
  field: string;
  code: string;
  message: string;
}
