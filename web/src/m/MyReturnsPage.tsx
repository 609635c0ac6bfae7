import { useNavigate } from 'react-router';
import { listReturns } from '../api/aftersales';
import { useApi } from '../api/hooks';
import { ErrorState, Loading } from '../components/States';
import { useCatalogueI18n } from '../i18n/catalogue';
import { MobileHeader } from './MobileHeader';
import { ReturnList } from './OrderReturns';
import { returnsMessages } from './returns.messages';

/** 我的售后: every return she asked for, newest first, each opening its page. */
export default function MyReturnsPage() {
  const { t } = useCatalogueI18n(returnsMessages);
  const navigate = useNavigate();
  const returns = useApi((signal) => listReturns({ limit: 50 }, signal), []);
  return (
    <div style={{ paddingBottom: 24 }} data-testid="m-my-returns">
      <MobileHeader title={t('mret.mine')} onBack={() => navigate('/m/orders')} />
      {returns.error ? <ErrorState error={returns.error} onRetry={returns.reload} /> : null}
      {!returns.data && !returns.error ? <Loading /> : null}
      {returns.data ? <ReturnList returns={returns.data.items} /> : null}
    </div>
  );
}
