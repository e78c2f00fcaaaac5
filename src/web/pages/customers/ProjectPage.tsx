import { EditOutlined, PauseCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Flex } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { DocumentListItem } from '../../../common/schemas/documents';
import type { Project } from '../../../common/schemas/projects';
import { errorText } from '../../api/client';
import { projectsApi } from '../../api/projects';
import { ExportMenu } from '../../components/ExportMenu';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { DocumentTable } from '../documents/DocumentTable';
import { useRetention } from '../documents/shared';
import { ProjectDrawer, ProjectStatusTag } from './ProjectsTab';
import { CustomerNotFound, isNotFound, orDash } from './shared';

// 项目档案 /projects/:id: a project of a customer archive, its catalogue (卷内目录: the documents
// linked to it that the reader may see) and its 归档文件目录 as .xlsx or CSV.

export default function ProjectPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { message, modal } = App.useApp();
  const retention = useRetention();
  const [project, setProject] = useState<Project | null>(null);
  const [missing, setMissing] = useState(false);
  const [editing, setEditing] = useState(false);
  const list = useKeysetList<DocumentListItem, { id: string }>(
    (q, cursor) => projectsApi.catalogue(q.id, cursor),
    { id },
  );

  const load = useCallback(async () => {
    try {
      setProject(await projectsApi.get(id));
    } catch (e) {
      if (isNotFound(e)) setMissing(true);
      else message.error(errorText(e));
    }
  }, [id, message]);
  useEffect(() => {
    void load();
  }, [load]);

  if (missing) return <CustomerNotFound />;
  if (!project) return <PageSpin />;

  const toggle = () =>
    modal.confirm({
      title: project.status === 'active' ? t('projects.closeTitle') : t('projects.reopenTitle'),
      content: project.status === 'active' ? t('projects.closeContent') : undefined,
      onOk: async () => {
        try {
          setProject(
            project.status === 'active'
              ? await projectsApi.close(project.id)
              : await projectsApi.reopen(project.id),
          );
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  return (
    <PageContainer
      title={`${project.code} ${project.name}`}
      subTitle={
        <Link to={`/customers/${project.customer.id}?tab=projects`}>
          {project.customer.archiveCode} {project.customer.name}
        </Link>
      }
      extra={
        <>
          <ExportMenu
            label={t('projects.exportCatalogue')}
            url={(f) => projectsApi.catalogueUrl(project.id, f)}
          />
          {project.can.update && project.status === 'active' && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          )}
          {project.can.update && (
            <Button
              icon={project.status === 'active' ? <PauseCircleOutlined /> : <PlayCircleOutlined />}
              onClick={toggle}
            >
              {project.status === 'active' ? t('projects.close') : t('projects.reopen')}
            </Button>
          )}
        </>
      }
    >
      <Card>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            {
              key: 'status',
              label: t('common.status'),
              children: <ProjectStatusTag status={project.status} />,
            },
            { key: 'owner', label: t('projects.owner'), children: orDash(project.owner?.name) },
            {
              key: 'period',
              label: t('projects.period'),
              children: orDash(
                project.startDate || project.endDate
                  ? `${project.startDate ?? '…'} ~ ${project.endDate ?? '…'}`
                  : null,
              ),
            },
            {
              key: 'retention',
              label: t('projects.retention'),
              children: orDash(project.retention && retention.label(project.retention)),
            },
            { key: 'remarks', label: t('projects.remarks'), children: orDash(project.remarks) },
          ]}
        />
      </Card>
      <Card title={t('projects.catalogue')}>
        <Flex vertical gap={12}>
          <DocumentTable
            items={list.items}
            loading={list.loading}
            empty={t('projects.catalogueEmpty')}
            showCustomer={false}
          />
          <LoadMore
            count={list.items.length}
            hasMore={!!list.nextCursor}
            loading={list.loadingMore}
            onLoadMore={list.loadMore}
          />
        </Flex>
      </Card>
      <ProjectDrawer
        customerId={project.customer.id}
        state={editing ? { mode: 'edit', project } : null}
        onClose={() => setEditing(false)}
        onSaved={(p) => {
          setEditing(false);
          setProject(p);
        }}
      />
    </PageContainer>
  );
}
