import { useParams } from 'react-router';
import { Member360 } from '../members/Member360';

export default function MemberDetailPage() {
  const { id } = useParams();
  return id ? <Member360 id={id} /> : null;
}
