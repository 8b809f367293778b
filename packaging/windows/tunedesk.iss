; Inno Setup 6 script: a per-user installer for the onedir bundle in dist\TuneDesk.
;
;   iscc /DAppVersion=0.1.0 packaging\windows\tunedesk.iss   -> dist\TuneDesk-0.1.0-setup.exe
;
; packaging\windows\build.ps1 runs it with the version from tunedesk.__version__. No
; administrator rights: it installs into %LOCALAPPDATA%\Programs\TuneDesk, adds a Start-menu
; entry for the current user and registers an uninstaller under "Installed apps". Settings,
; projects and the keyring entries stay when TuneDesk is uninstalled (they are the user's).
; Not exercised here (Linux); the GitHub Actions workflow bundles.yml builds it on Windows.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z tunedesk.iss (build.ps1 does)
#endif
#define AppName "TuneDesk"
#define AppExe "TuneDesk.exe"
#define Bundle "..\..\dist\TuneDesk"

[Setup]
; The AppId identifies TuneDesk to Windows across versions: never change it.
AppId={{356DB5D6-CAFD-459F-A9DE-829842493E37}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoProductName={#AppName}
; Per user, no UAC prompt: {autopf} is %LOCALAPPDATA%\Programs, {autoprograms} the user's
; Start menu, and the uninstaller is registered under HKCU.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\..\resources\icons\tunedesk.ico
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; Qt 6 runs on 64-bit Windows 10 and later (x64, or Arm64 through emulation).
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; An update closes a running TuneDesk first (every edit is already saved).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Older Inno Setup releases ship no Chinese translation; use it where the compiler has one.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole onedir bundle: TuneDesk.exe, TuneDesk-debug.exe (console, for support) and _internal.
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A new version replaces the old bundle's files rather than mixing with them.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
