# Build TuneDesk for Windows, on Windows, from the repository root:
#
#     powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# 1. .venv with TuneDesk and PyInstaller (pip install -e ".[package]");
# 2. pyinstaller packaging\tunedesk.spec -> dist\TuneDesk\TuneDesk.exe (windowed) and
#    TuneDesk-debug.exe (console), each with the icon and a version resource;
# 3. packaging\smoke_test.py on TuneDesk-debug.exe (a windowed EXE has no stdout to check),
#    then the windowed EXE opens the sample project and quits by itself;
# 4. Inno Setup (ISCC.exe; installed with Chocolatey when missing and Chocolatey exists)
#    -> dist\TuneDesk-<version>-setup.exe, a per-user installer.
# Needs Python 3.11+ on PATH. Not exercised here (Linux); .github/workflows/bundles.yml runs it.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

function Invoke-Checked {
    # Run a program; stop on a non-zero exit code (PowerShell does not by itself).
    $program, $arguments = $args
    & $program @arguments
    if ($LASTEXITCODE -ne 0) { throw "$program $arguments failed with exit code $LASTEXITCODE" }
}

if (-not (Test-Path ".venv\Scripts\python.exe")) { Invoke-Checked python -m venv .venv }
$python = ".venv\Scripts\python.exe"
Invoke-Checked $python -m pip install -q --disable-pip-version-check -e ".[package]"
$version = (& $python -c "import tunedesk; print(tunedesk.__version__)").Trim()

# PyInstaller's cache stays in the clone (PACKAGING.md), so CI can cache it.
$env:PYINSTALLER_CONFIG_DIR = Join-Path (Get-Location) "build\pyinstaller-config"
Invoke-Checked $python -m PyInstaller --noconfirm packaging\tunedesk.spec

Invoke-Checked $python packaging\smoke_test.py dist\TuneDesk\TuneDesk-debug.exe
# The windowed EXE: start, show the sample project, quit by itself, exit code 0.
$env:QT_QPA_PLATFORM = "offscreen"
$window = Start-Process -FilePath "dist\TuneDesk\TuneDesk.exe" -PassThru -Wait `
    -ArgumentList "--sample", "--no-err-windows", "--quit-after", "1500"
Remove-Item Env:\QT_QPA_PLATFORM
if ($window.ExitCode -ne 0) { throw "TuneDesk.exe exited with $($window.ExitCode)" }

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $iscc) -and (Get-Command choco.exe -ErrorAction SilentlyContinue)) {
    Invoke-Checked choco install innosetup -y --no-progress
}
if (-not (Test-Path $iscc)) { throw "Inno Setup 6 not found: install it from https://jrsoftware.org/isinfo.php" }
Invoke-Checked $iscc /Qp "/DAppVersion=$version" packaging\windows\tunedesk.iss
Write-Host "Built dist\TuneDesk\ and dist\TuneDesk-$version-setup.exe"
