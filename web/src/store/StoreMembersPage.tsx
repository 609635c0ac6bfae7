import { Card, Drawer } from 'antd';
import { useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { Member360 } from '../members/Member360';
import { MemberLookup } from '../members/MemberLookup';

export default function StoreMembersPage() {
  const t = useT();
  const [open, setOpen] = useState<string>();
  return (
    <Card title={t('store.members')}>
      <MemberLookup onOpen={(m) => setOpen(m.id)} />
      <Drawer width={720} open={open !== undefined} onClose={() => setOpen(undefined)} destroyOnHidden>
        {open ? <Member360 id={open} /> : null}
      </Drawer>
    </Card>
  );
}
