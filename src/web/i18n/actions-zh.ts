// Chinese strings of corrective and preventive actions (纠正预防措施), a module shared by the
// complaints and, later, the satisfaction surveys; zh.ts spreads them in.
export const actionsZh = {
  'nav.actions': '我的措施',
  'home.link.actions': '我负责的纠正预防措施：完成、验证、逾期',

  'actions.title': '我的措施',
  'actions.intro': '纠正预防措施：由投诉处理人提出，负责人按期完成，品质部验证效果',
  'actions.list': '纠正预防措施',
  'actions.section': '纠正预防措施',
  'actions.summary': '共 {total} 项，进行中 {open} 项，待验证 {toVerify} 项',
  'actions.empty': '尚无纠正预防措施',
  'actions.emptyCanRaise': '尚无纠正预防措施。点击右上角「新增措施」，指定负责人和完成期限。',
  'actions.emptyMine': '没有由您负责的措施',
  'actions.emptyAll': '还没有纠正预防措施',

  'actions.field.kind': '措施类型',
  'actions.field.description': '措施内容',
  'actions.field.owner': '负责人',
  'actions.field.due': '完成期限',
  'actions.field.ownerDue': '负责人 / 期限',
  'actions.field.dueDays': '完成期限',
  'actions.field.status': '状态',
  'actions.field.result': '完成情况',
  'actions.field.verification': '效果验证',
  'actions.field.source': '来源',

  'actions.due.by': '截止 {date}（{weekday}）',
  'actions.due.today': '今日到期',
  'actions.due.overdue': '已逾期（截止 {date}）',
  'actions.due.doneOnTime': '按期完成',
  'actions.due.doneLate': '逾期完成',
  'actions.due.tooltip': '截止 {date}（提出时给定 {days} 个工作日）',
  'actions.due.doneAt': '完成于 {at}',

  'actions.raise.button': '新增措施',
  'actions.raise.title': '新增纠正预防措施：{number}',
  'actions.raise.save': '新增',
  'actions.raise.kindHelp':
    '临时措施：先止住问题（隔离、全检、补货）；纠正措施：消除已发生问题的原因；预防措施：防止同类问题在别处发生。',
  'actions.raise.descriptionPlaceholder': '做什么、做到什么程度，如：更换钻孔夹具定位销，首件检验增加该孔位',
  'actions.raise.ownerHelp': '负责人会在「我的措施」和「我的待办」中看到这项措施。',
  'actions.raise.dueHelp':
    '从今天起算的工作日数（0 表示今天），按公司工作日历跳过节假日；保存后显示截止日期。',
  'actions.raise.workingDays': '个工作日',

  'actions.complete.button': '完成',
  'actions.complete.title': '措施完成',
  'actions.complete.save': '记录完成',
  'actions.complete.help':
    '写明实际做了什么、何时完成、留下了哪些记录（如作业指导书版本、点检表）。完成后由品质部验证效果。',

  'actions.verify.button': '验证',
  'actions.verify.title': '验证措施效果',
  'actions.verify.save': '记录验证',
  'actions.verify.question': '措施是否有效',
  'actions.verify.pick': '请选择措施是否有效',
  'actions.verify.effective': '有效',
  'actions.verify.ineffective': '无效',
  'actions.verify.ineffectiveHelp': '判定无效后这项措施即结束；请在案件中新增措施继续处理。',
  'actions.verify.help': '写明如何验证的：抽检了哪几批、多少件、结果如何。措施负责人本人不能验证。',

  'actions.done.raised': '已新增措施',
  'actions.done.completed': '已记录完成',
  'actions.done.verified': '已记录验证',

  'actions.filter.view': '范围',
  'actions.filter.overdue': '只看已逾期',
  'actions.view.mine': '我负责的',
  'actions.view.all': '全部措施',
  'actions.export.button': '导出',
  'actions.export.xlsx': '纠正预防措施一览表 .xlsx',
  'actions.export.csv': '纠正预防措施一览表 .csv',

  'actions.todo.title': '纠正预防措施',
  'actions.todo.open': '我负责的进行中',
  'actions.todo.overdue': '我负责的已逾期',
  'actions.todo.toVerify': '待验证',
} as const;
