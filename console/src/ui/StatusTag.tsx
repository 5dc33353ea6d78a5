import { useTranslation } from 'react-i18next';

/** A state in the staff's words (Chờ duyệt, Đang gửi...), coloured by what it asks of them. */
export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`tag tag--${status.replace(/_/g, '-')}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}
