import { Flex, Tag } from 'antd';
import { ROLE_LABELS, type Role, SECRECY_LABELS, type SecrecyLevel } from '../../common/enums';
import { useLabel } from '../i18n';

const SECRECY_COLORS: Record<SecrecyLevel, string> = {
  normal: 'default',
  secret: 'gold',
  confidential: 'orange',
  top_secret: 'red',
};

export function SecrecyTag({ level }: { level: SecrecyLevel }) {
  const label = useLabel();
  return <Tag color={SECRECY_COLORS[level]}>{label(SECRECY_LABELS[level], level)}</Tag>;
}

export function RoleTags({ roles }: { roles: Role[] }) {
  const label = useLabel();
  return (
    <Flex gap={4} wrap>
      {roles.map((r) => (
        <Tag key={r} color={r === 'admin' ? 'blue' : undefined} style={{ marginInlineEnd: 0 }}>
          {label(ROLE_LABELS[r], r)}
        </Tag>
      ))}
    </Flex>
  );
}
