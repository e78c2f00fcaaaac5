// Review record and order attachments (orders/OrderRecordCard.tsx).
export const ordersRecordEn = {
  'orders.record.title': 'Review record and attachments',
  'orders.record.print': 'Review record',
  'orders.record.filed': 'The review record is filed in the customer archive:',
  'orders.record.filedDetail':
    'Archive no. {archiveNo} · retention {retention} (the part’s life + 1 calendar year)',
  'orders.record.noArchiveNo': 'to be numbered by the archivist',
  'orders.record.filedHidden':
    'The review record is filed in the customer archive (you may not read that record)',
  'orders.record.notYet':
    'Once signed (accepted or rejected), the review record is filed in the customer archive.',
  'orders.files.add': 'Attach a file',
  'orders.files.upload': 'Upload',
  'orders.files.pick': 'Pick a file',
  'orders.files.uploaded': '{name} uploaded',
  'orders.files.empty': 'No attachments',
  'orders.files.kind': 'Kind',
  'orders.files.name': 'File',
  'orders.files.department': 'Department',
  'orders.files.size': 'Size',
  'orders.files.by': 'Uploaded by',
  'orders.files.help':
    'The customer’s PO scan, the written confirmation of a phone order, or another file; downloads are audited.',
  'orders.files.feasibility': 'Feasibility report',
  'orders.files.addFeasibility': 'Attach the feasibility report ({department})',
  'orders.files.feasibilityHelp':
    'R&D assesses manufacturing feasibility and risk of a new product; the report is filed with its review.',
  'orders.files.feasibilityNeeded': 'New product: attach the feasibility report before giving R&D’s review',
  'orders.history.file': 'Attachment',
  'orders.history.record': 'Review record filed',
  'orders.settings.record': 'Review record and feasibility report',
  'orders.settings.recordHelp':
    'Once signed, the review record is filed in the customer archive (retention L1: the part’s life + 1 calendar year); R&D attaches a feasibility report to its review of a new product.',
  'orders.settings.rdDepartment': 'R&D department',
  'orders.settings.rdDepartmentHelp':
    'In a non-regular review this department attaches the feasibility report before answering for a new product',
  'orders.settings.recordArchiveCategory': 'Filing category of the review record',
  'orders.settings.recordArchiveCategoryHelp':
    'The document category the signed review record is filed under in the customer archive',
};
