import { Menu, useTranslate } from 'react-admin';

/** Menu entry for the custom /my-totp route (every staff member). */
export const MyTotpMenuItem = () => {
  const translate = useTranslate();
  return (
    <Menu.Item
      to="/my-totp"
      primaryText={translate('app.totp.my_title')}
      leftIcon={
        <span aria-hidden="true" className="menu-glyph">
          令
        </span>
      }
    />
  );
};
