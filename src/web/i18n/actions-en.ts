import type { actionsZh } from './actions-zh';

// English strings of corrective and preventive actions; same keys as actions-zh.ts.
export const actionsEn: Record<keyof typeof actionsZh, string> = {
  'nav.actions': 'My actions',
  'home.link.actions': 'Corrective and preventive actions I own: complete, verify, overdue',

  'actions.title': 'My actions',
  'actions.intro':
    'Corrective and preventive actions: raised by whoever handles a complaint, done by their owner on time, verified by quality',
  'actions.list': 'Corrective and preventive actions',
  'actions.section': 'Corrective and preventive actions',
  'actions.summary': '{total} in all, {open} open, {toVerify} waiting for verification',
  'actions.empty': 'No corrective or preventive actions yet',
  'actions.emptyCanRaise': 'No actions yet. Use “Add action” above to name an owner and a due date.',
  'actions.emptyMine': 'No actions of yours',
  'actions.emptyAll': 'No corrective or preventive actions yet',

  'actions.field.kind': 'Kind',
  'actions.field.description': 'Action',
  'actions.field.owner': 'Owner',
  'actions.field.due': 'Due',
  'actions.field.ownerDue': 'Owner / due',
  'actions.field.dueDays': 'Due within',
  'actions.field.status': 'Status',
  'actions.field.result': 'Done',
  'actions.field.verification': 'Verification',
  'actions.field.source': 'Source',

  'actions.due.by': 'Due {date} ({weekday})',
  'actions.due.today': 'Due today',
  'actions.due.overdue': 'Overdue (due {date})',
  'actions.due.doneOnTime': 'Done on time',
  'actions.due.doneLate': 'Done late',
  'actions.due.tooltip': 'Due {date} ({days} working days when raised)',
  'actions.due.doneAt': 'done {at}',

  'actions.raise.button': 'Add action',
  'actions.raise.title': 'New corrective or preventive action: {number}',
  'actions.raise.save': 'Add',
  'actions.raise.kindHelp':
    'Containment stops the problem now (quarantine, 100 % inspection, replacements); corrective removes the cause of what happened; preventive keeps the same from happening elsewhere.',
  'actions.raise.descriptionPlaceholder': 'What is to be done, and to what extent',
  'actions.raise.ownerHelp': 'The owner sees the action under My actions and My to-dos.',
  'actions.raise.dueHelp':
    'Working days from today (0 = today) on the company calendar, holidays skipped; the due date shows once saved.',
  'actions.raise.workingDays': 'working days',

  'actions.complete.button': 'Done',
  'actions.complete.title': 'Action done',
  'actions.complete.save': 'Record as done',
  'actions.complete.help':
    'Say what was actually done, when, and which records show it (work instruction version, check sheet). Quality then verifies the effect.',

  'actions.verify.button': 'Verify',
  'actions.verify.title': 'Verify the action',
  'actions.verify.save': 'Record verification',
  'actions.verify.question': 'Was the action effective?',
  'actions.verify.pick': 'Say whether the action was effective',
  'actions.verify.effective': 'Effective',
  'actions.verify.ineffective': 'Not effective',
  'actions.verify.ineffectiveHelp': 'An action judged not effective ends here; add a new action on the case.',
  'actions.verify.help':
    'Say how it was checked: which lots, how many parts, with what result. The action’s owner may not verify it.',

  'actions.done.raised': 'Action added',
  'actions.done.completed': 'Recorded as done',
  'actions.done.verified': 'Verification recorded',

  'actions.filter.view': 'Show',
  'actions.filter.overdue': 'Overdue only',
  'actions.view.mine': 'Mine',
  'actions.view.all': 'All actions',
  'actions.export.button': 'Export',
  'actions.export.xlsx': 'Action list .xlsx',
  'actions.export.csv': 'Action list .csv',

  'actions.todo.title': 'Corrective and preventive actions',
  'actions.todo.open': 'Mine, open',
  'actions.todo.overdue': 'Mine, overdue',
  'actions.todo.toVerify': 'To verify',
};
