import { HeartFilled, HeartOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { favouritesOf, removeFavourite, saveFavourite } from '../api/loyalty';
import { useCatalogueI18n } from '../i18n/catalogue';
import { shopMessages } from './shop.messages';

/**
 * 收藏: she saves the product she is looking at — scanned from a shelf code in a store (the store is kept with it,
 * so her guide sees what caught her eye there) or found online — and takes it off again with the same tap.
 */
export function FavouriteButton({ memberId, sku, store }: { memberId: string; sku: string; store?: string }) {
  const { t } = useCatalogueI18n(shopMessages);
  const { message } = App.useApp();
  const favourites = useApi((signal) => favouritesOf(memberId, signal), [memberId]);
  const [busy, setBusy] = useState(false);
  const saved = favourites.data?.items.some((f) => f.sku === sku) ?? false;

  const toggle = async () => {
    setBusy(true);
    try {
      if (saved) await removeFavourite(memberId, sku);
      else await saveFavourite(memberId, sku, store);
      message.success(t(saved ? 'fav.removed' : 'fav.added'));
      favourites.reload();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      shape="round"
      icon={saved ? <HeartFilled style={{ color: '#c8102e' }} /> : <HeartOutlined />}
      loading={busy || favourites.loading}
      onClick={toggle}
      aria-pressed={saved}
      data-testid="m-favourite"
    >
      {t(saved ? 'fav.saved' : 'fav.save')}
    </Button>
  );
}
