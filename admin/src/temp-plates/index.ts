import { BatchCreate, BatchList, BatchShow } from './Batches.tsx';
import { BlankList } from './Blanks.tsx';
import { TempPlateCitySettingEdit, TempPlateCitySettingList } from './CitySettings.tsx';
import { IssuanceCreate, IssuanceList, IssuanceShow } from './Issuances.tsx';
import { QualificationCreate, QualificationList, QualificationShow } from './Qualifications.tsx';
import { StockPage } from './StockPage.tsx';

/** 核发临时号牌资格 (dealer-qualifications): dealers apply and renew, 管理岗 reviews and manages. */
export const dealerQualifications = { list: QualificationList, show: QualificationShow, create: QualificationCreate, options: { label: 'tempPlates.qualification.menu' } };
/** 空白临时号牌发放 (temp-plate-batches): 受理岗 hands out. */
export const tempPlateBatches = { list: BatchList, show: BatchShow, create: BatchCreate, options: { label: 'tempPlates.handOut.menu' } };
/** 空白临时号牌 (temp-plate-blanks): the numbered blanks; damage and destruction. */
export const tempPlateBlanks = { list: BlankList, options: { label: 'tempPlates.blank.menu' } };
/** 核发临时号牌 (temp-plate-issuances): dealers issue; 受理岗 records registrations. */
export const tempPlateIssuances = { list: IssuanceList, show: IssuanceShow, create: IssuanceCreate, options: { label: 'tempPlates.issue.menu' } };
/** 库存核对 (temp-plate-stock): the dealer's reconciliation page. */
export const tempPlateStock = { list: StockPage, options: { label: 'tempPlates.stock.menu' } };
/** 委托销售商核发临时号牌 (temp-plate-city-settings): 管理岗. */
export const tempPlateCitySettings = { list: TempPlateCitySettingList, edit: TempPlateCitySettingEdit, options: { label: 'tempPlates.settings.menu' } };
