import { stripDiacritics } from '../../../lambdas/core/templates/diacritics.js';

/** 300 characters of Vietnamese with diacritics (NFC): UCS-2, five parts of at most 67 units. */
export const VIETNAMESE_300 = (
  'Sở Thông tin và Truyền thông tỉnh Đồng Nai thông báo: người dân hạn chế tập trung đông người, ' +
  'đeo khẩu trang nơi công cộng, rửa tay thường xuyên và khai báo y tế khi có triệu chứng sốt, ho, khó thở. ' +
  'Gọi đường dây nóng 1022 khi cần hỗ trợ. Thông tin chính thức được đăng trên cổng thông tin điện tử của tỉnh. '
).slice(0, 300);

/** The same without diacritics: GSM-7, two parts of at most 153 septets. */
export const STRIPPED_300 = stripDiacritics(VIETNAMESE_300);
