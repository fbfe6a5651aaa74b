// Made-up Vietnamese people and places: names in the proportions of the common family names (Nguyễn about a third),
// the family and given names of the ethnic minorities of the northern mountain provinces, citizen ID numbers in the
// shape of the CCCD (place of birth, century and sex, year of birth, six digits), mobile numbers, addresses.
import { foldText } from '../../src/platform/text.ts';
import { Weighted, type Random } from './random.ts';

/** Provinces (codes of 2025) where the ethnic minorities are a large share of the people. */
const MOUNTAIN_PROVINCES = new Set(['04', '08', '11', '12', '14', '15', '19', '20']);

/** Provinces of the south (from Lâm Đồng, Khánh Hòa down), where Huỳnh and Võ are more common. */
function isSouthern(provinceCode: string): boolean {
  return Number(provinceCode) >= 56;
}

const FAMILY: [string, number][] = [
  ['Nguyễn', 31],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 4],
  ['Huỳnh', 2.5],
  ['Phan', 4.5],
  ['Vũ', 3.5],
  ['Võ', 2.5],
  ['Đặng', 2],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Đinh', 0.8],
  ['Trịnh', 0.6],
  ['Đoàn', 0.5],
  ['Lương', 0.5],
  ['Mai', 0.4],
  ['Cao', 0.4],
  ['Lâm', 0.4],
  ['Hà', 0.6],
  ['Tạ', 0.3],
  ['Chu', 0.3],
  ['Kiều', 0.2],
  ['Thái', 0.2],
];

/** Hmông family names: the middle name is "A" for men. */
const HMONG_FAMILY = ['Giàng', 'Sùng', 'Vàng', 'Thào', 'Mùa', 'Lầu', 'Hạng', 'Vừ'];
/** Thái, Tày, Nùng, Dao family names, with the common middle names. */
const TAI_FAMILY = ['Lò', 'Lường', 'Quàng', 'Cầm', 'Tòng', 'Nông', 'Triệu', 'Hoàng', 'Lý', 'Hà', 'Ma', 'Bế'];

const MIDDLE_MALE: [string, number][] = [
  ['Văn', 38],
  ['Hữu', 7],
  ['Đức', 7],
  ['Minh', 8],
  ['Quang', 6],
  ['Công', 5],
  ['Thanh', 5],
  ['Ngọc', 4],
  ['Xuân', 3],
  ['Đình', 4],
  ['Trung', 2],
  ['Hoàng', 2],
  ['Anh', 2],
  ['Gia', 2],
  ['Bảo', 2],
];
const MIDDLE_FEMALE: [string, number][] = [
  ['Thị', 42],
  ['Ngọc', 8],
  ['Thu', 6],
  ['Thanh', 6],
  ['Minh', 4],
  ['Kim', 4],
  ['Hồng', 5],
  ['Phương', 3],
  ['Thùy', 3],
  ['Bích', 2],
  ['Mỹ', 2],
  ['Khánh', 2],
  ['Hải', 2],
  ['Bảo', 2],
];
const GIVEN_MALE = [
  'An',
  'Anh',
  'Bảo',
  'Bình',
  'Cường',
  'Dũng',
  'Duy',
  'Đạt',
  'Đức',
  'Giang',
  'Hải',
  'Hiếu',
  'Hòa',
  'Hoàng',
  'Hùng',
  'Hưng',
  'Huy',
  'Khang',
  'Khánh',
  'Khoa',
  'Kiên',
  'Lâm',
  'Long',
  'Lộc',
  'Minh',
  'Nam',
  'Nghĩa',
  'Nhân',
  'Phong',
  'Phúc',
  'Quân',
  'Quang',
  'Sơn',
  'Tài',
  'Tâm',
  'Thái',
  'Thắng',
  'Thành',
  'Thịnh',
  'Toàn',
  'Trung',
  'Tuấn',
  'Tùng',
  'Việt',
  'Vinh',
  'Vũ',
];
const GIVEN_FEMALE = [
  'An',
  'Anh',
  'Bích',
  'Châu',
  'Chi',
  'Dung',
  'Duyên',
  'Giang',
  'Hà',
  'Hạnh',
  'Hằng',
  'Hiền',
  'Hoa',
  'Hồng',
  'Huệ',
  'Hương',
  'Huyền',
  'Lan',
  'Liên',
  'Linh',
  'Loan',
  'Mai',
  'My',
  'Nga',
  'Ngân',
  'Ngọc',
  'Nhi',
  'Nhung',
  'Oanh',
  'Phương',
  'Quyên',
  'Quỳnh',
  'Tâm',
  'Thảo',
  'Thư',
  'Thu',
  'Thủy',
  'Trang',
  'Trâm',
  'Tuyết',
  'Uyên',
  'Vân',
  'Vy',
  'Xuân',
  'Yến',
];
const SECOND_MALE = ['Minh', 'Quang', 'Đức', 'Hữu', 'Ngọc', 'Thanh', 'Xuân', 'Công'];
const SECOND_FEMALE = ['Thu', 'Ngọc', 'Thanh', 'Hồng', 'Kim', 'Mỹ', 'Bích', 'Thùy', 'Phương'];
const HMONG_GIVEN_MALE = [
  'Páo',
  'Chứ',
  'Lử',
  'Sính',
  'Dính',
  'Sáng',
  'Pó',
  'Chơ',
  'Khua',
  'Tủa',
  'Dế',
  'Nhà',
];
const HMONG_GIVEN_FEMALE = ['Mỷ', 'Dợ', 'Chá', 'Sua', 'Pà', 'Mai', 'Dung', 'Sinh', 'Ly', 'Say'];

const family = new Weighted(
  FAMILY.map((f) => f[0]),
  FAMILY.map((f) => f[1]),
);
const southernFamily = new Weighted(
  FAMILY.map((f) => f[0]),
  FAMILY.map((f) => (f[0] === 'Huỳnh' || f[0] === 'Võ' ? f[1] * 2.5 : f[1])),
);
const middleMale = new Weighted(
  MIDDLE_MALE.map((m) => m[0]),
  MIDDLE_MALE.map((m) => m[1]),
);
const middleFemale = new Weighted(
  MIDDLE_FEMALE.map((m) => m[0]),
  MIDDLE_FEMALE.map((m) => m[1]),
);

export interface PersonName {
  fullName: string;
  family: string;
  given: string;
  isFemale: boolean;
}

/** A name as people of the province carry them. */
export function personName(random: Random, provinceCode: string): PersonName {
  const isFemale = random.chance(0.5);
  if (MOUNTAIN_PROVINCES.has(provinceCode) && random.chance(0.45)) {
    if (random.chance(0.4)) {
      const familyName = random.pick(HMONG_FAMILY);
      const given = random.pick(isFemale ? HMONG_GIVEN_FEMALE : HMONG_GIVEN_MALE);
      return {
        fullName: `${familyName} ${isFemale ? 'Thị' : 'A'} ${given}`,
        family: familyName,
        given,
        isFemale,
      };
    }
    const familyName = random.pick(TAI_FAMILY);
    const given = random.pick(isFemale ? GIVEN_FEMALE : GIVEN_MALE);
    return {
      fullName: `${familyName} ${isFemale ? 'Thị' : 'Văn'} ${given}`,
      family: familyName,
      given,
      isFemale,
    };
  }
  const familyName = (isSouthern(provinceCode) ? southernFamily : family).draw(random);
  let middle = (isFemale ? middleFemale : middleMale).draw(random);
  // One in six names has two middle names, the first of them Thị or Văn ("Nguyễn Thị Thu Hà").
  if (random.chance(0.16))
    middle = `${isFemale ? 'Thị' : 'Văn'} ${random.pick(isFemale ? SECOND_FEMALE : SECOND_MALE)}`;
  let given = random.pick(isFemale ? GIVEN_FEMALE : GIVEN_MALE);
  if (middle.endsWith(given)) given = random.pick(isFemale ? GIVEN_FEMALE : GIVEN_MALE);
  const fullName = `${familyName} ${middle} ${given}`;
  return { fullName, family: familyName, given, isFemale };
}

/**
 * A 12-digit citizen ID in the CCCD layout: 3 digits of the place of birth (here "0" and the province code), a digit
 * for century and sex (0/1 born in the 1900s, 2/3 in the 2000s, even for men), 2 digits of the year of birth, 6 more.
 */
export function citizenId(
  random: Random,
  provinceCode: string,
  birthYear: number,
  isFemale: boolean,
): string {
  const century = birthYear >= 2000 ? 2 : 0;
  const digits = String(random.int(1_000_000)).padStart(6, '0');
  return `0${provinceCode}${century + (isFemale ? 1 : 0)}${String(birthYear % 100).padStart(2, '0')}${digits}`;
}

// prettier-ignore
const MOBILE_PREFIXES = [
  '090', '091', '093', '094', '096', '097', '098', '086', '088', '089', '032', '033', '034', '035', '036', '037',
  '038', '039', '070', '076', '077', '078', '079', '081', '082', '083', '084', '085', '056', '058',
];

/** A mobile number 0xxxxxxxxx, as the intake form takes it. */
export function mobilePhone(random: Random): string {
  return `${random.pick(MOBILE_PREFIXES)}${String(random.int(10_000_000)).padStart(7, '0')}`;
}

export function emailOf(random: Random, name: PersonName): string {
  const local = `${foldText(name.given).replace(/ /g, '')}${foldText(name.family).replace(/ /g, '')}`;
  return `${local}${random.between(1, 99)}@${random.chance(0.85) ? 'gmail.com' : 'yahoo.com'}`;
}

// prettier-ignore
const STREETS = [
  'Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Trãi', 'Hùng Vương', 'Quang Trung', 'Lý Thường Kiệt', 'Hai Bà Trưng',
  'Điện Biên Phủ', 'Nguyễn Huệ', 'Phan Đình Phùng', 'Trần Phú', 'Lê Duẩn', 'Võ Thị Sáu', 'Nguyễn Văn Cừ',
  'Lê Quý Đôn', 'Phạm Văn Đồng', 'Nguyễn Du', 'Bà Triệu', 'Ngô Quyền', 'Lạc Long Quân', 'Tô Hiệu', 'Cách Mạng Tháng Tám',
];
// prettier-ignore
const MOUNTAIN_VILLAGES = [
  'Nà Hỏm', 'Sín Chải', 'Lùng Thàng', 'Nậm Khắt', 'Bản Ràng', 'Pắc Ngòi', 'Nà Phặc', 'Khuổi Bon', 'Nậm Cang',
  'Tả Phìn', 'Lao Chải', 'Cốc Ly', 'Nà Lùng', 'Phìn Hồ', 'Nậm Pung', 'Hua Pù',
];
const SOUTHERN_HAMLETS = ['Tân Phú', 'Phú Hòa', 'An Lợi', 'Bình Thạnh', 'Long Hưng', 'Mỹ Thuận', 'Tân Thành'];

/** Lower-cases the first letter of a unit's full name for running text: "Xã Bảo Yên" → "xã Bảo Yên". */
export function inSentence(fullName: string): string {
  return fullName.charAt(0).toLocaleLowerCase('vi') + fullName.slice(1);
}

export interface Place {
  code: string;
  provinceCode: string;
  type: string;
  fullName: string;
  provinceFullName: string;
}

/** An address in the unit: a hamlet or village of a commune, a street or residential group of a ward. */
export function addressIn(random: Random, place: Place): string {
  const unit = `${inSentence(place.fullName)}, ${inSentence(place.provinceFullName)}`;
  if (place.type === 'phuong') {
    return random.chance(0.6)
      ? `Số ${random.between(1, 250)} đường ${random.pick(STREETS)}, ${unit}`
      : `Tổ dân phố ${random.between(1, 30)}, ${unit}`;
  }
  if (MOUNTAIN_PROVINCES.has(place.provinceCode) && random.chance(0.6))
    return `Bản ${random.pick(MOUNTAIN_VILLAGES)}, ${unit}`;
  if (isSouthern(place.provinceCode) && random.chance(0.6))
    return random.chance(0.5)
      ? `Ấp ${random.between(1, 12)}, ${unit}`
      : `Ấp ${random.pick(SOUTHERN_HAMLETS)}, ${unit}`;
  return `Thôn ${random.between(1, 15)}, ${unit}`;
}

const COMPANY_WORDS = [
  'Phú Thịnh',
  'Hòa Bình',
  'Minh Phát',
  'Thành Công',
  'An Khang',
  'Việt Tiến',
  'Tân Tiến',
];
const COMPANY_KINDS = ['Hợp tác xã nông nghiệp', 'Hợp tác xã dịch vụ', 'Công ty TNHH', 'Tổ hợp tác sản xuất'];

export function organisationName(random: Random, placeName: string): string {
  const kind = random.pick(COMPANY_KINDS);
  return kind === 'Công ty TNHH'
    ? `${kind} ${random.pick(COMPANY_WORDS)} ${placeName}`
    : `${kind} ${random.pick(COMPANY_WORDS)}`;
}

/** A 10-digit tax code (mã số thuế of an organisation). */
export function taxCode(random: Random): string {
  return `0${String(random.int(1_000_000_000)).padStart(9, '0')}`;
}
