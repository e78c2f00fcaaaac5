import type { projectsZh } from './projects-zh';

// English strings of projects (项目档案); same keys as projects-zh.ts.
export const projectsEn: Record<keyof typeof projectsZh, string> = {
  'projects.tab': 'Projects',
  'projects.intro':
    'Each project of the customer is kept apart with its own catalogue; the index below counts what is linked to each',
  'projects.add': 'New project',
  'projects.added': 'Project created',
  'projects.edit': 'Edit project',
  'projects.updated': 'Project saved',
  'projects.empty': 'This archive has no projects yet',
  'projects.code': 'Code',
  'projects.name': 'Name',
  'projects.period': 'Period',
  'projects.owner': 'Project owner',
  'projects.retention': 'Retention',
  'projects.remarks': 'Remarks',
  'projects.documents': 'Documents',
  'projects.status.active': 'Active',
  'projects.status.closed': 'Closed',
  'projects.close': 'Close project',
  'projects.reopen': 'Reopen',
  'projects.closeTitle': 'Close this project?',
  'projects.closeContent':
    'A closed project takes no new records; what is linked stays linked. It can be reopened at any time.',
  'projects.reopenTitle': 'Reopen this project?',
  'projects.catalogue': 'Catalogue',
  'projects.catalogueEmpty': 'No documents linked to this project (or none you may see)',
  'projects.exportCatalogue': 'Export 归档文件目录',
  'projects.index.title': 'Project index (关联索引)',
  'projects.index.project': 'Project',
  'projects.index.documents': 'Documents',
  'projects.index.unlinked': 'In no project',
  'projects.index.hint':
    'Counts only records you may see; linking orders, special requirements and complaints to projects is not available yet',
  'projects.field': 'Project',
  'projects.fieldHint': 'Only projects of this customer archive; closed projects take no new records',
  'history.projectCreated': 'Project created: {project}',
  'history.projectChanged': 'Project changed: {project}',
  'history.projectClosed': 'Project closed: {project}',
  'history.projectReopened': 'Project reopened: {project}',
  'projects.none': 'No project',
};
