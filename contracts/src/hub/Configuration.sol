// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IConfiguration} from "../interfaces/IConfiguration.sol";
import {HubStorage} from "../libs/HubStorage.sol";
import {DEFAULT_CALLBACK_GAS} from "../libs/Constants.sol";
import {Category} from "../libs/Types.sol";

/// @title Configuration
/// @notice What the hub owner manages: compute categories, born with PoCo's five (XS 300 s …
/// XL 36,000 s), and the gas given to result callbacks.
abstract contract Configuration is IConfiguration, Ownable {
    constructor() {
        HubStorage.layout().callbackGas = DEFAULT_CALLBACK_GAS;
        _addCategory("XS", "5 min of compute per task, 50 min per deal", 300);
        _addCategory("S", "20 min of compute per task, 200 min per deal", 1200);
        _addCategory("M", "1 h of compute per task, 10 h per deal", 3600);
        _addCategory("L", "3 h of compute per task, 30 h per deal", 10800);
        _addCategory("XL", "10 h of compute per task, 100 h per deal", 36000);
    }

    /// @inheritdoc IConfiguration
    function createCategory(string calldata name, string calldata description, uint256 workClockTimeRef)
        external
        onlyOwner
        returns (uint256)
    {
        return _addCategory(name, description, workClockTimeRef);
    }

    /// @inheritdoc IConfiguration
    function viewCategory(uint256 catid) external view returns (Category memory) {
        _checkCategory(catid);
        return HubStorage.layout().categories[catid];
    }

    /// @inheritdoc IConfiguration
    function countCategory() external view returns (uint256) {
        return HubStorage.layout().categories.length;
    }

    /// @inheritdoc IConfiguration
    function setCallbackGas(uint256 gas) external onlyOwner {
        emit CallbackGasUpdated(HubStorage.layout().callbackGas, gas);
        HubStorage.layout().callbackGas = gas;
    }

    /// @inheritdoc IConfiguration
    function callbackGas() external view returns (uint256) {
        return HubStorage.layout().callbackGas;
    }

    /// @dev The work-clock time reference of an existing category.
    function _timeref(uint256 catid) internal view returns (uint256) {
        _checkCategory(catid);
        return HubStorage.layout().categories[catid].workClockTimeRef;
    }

    function _checkCategory(uint256 catid) private view {
        uint256 count = HubStorage.layout().categories.length;
        if (catid >= count) revert CategoryUnknown(catid, count);
    }

    function _addCategory(string memory name, string memory description, uint256 workClockTimeRef)
        private
        returns (uint256 catid)
    {
        if (workClockTimeRef == 0 || workClockTimeRef > type(uint24).max) {
            revert CategoryInvalidTimeRef(workClockTimeRef);
        }
        Category[] storage categories = HubStorage.layout().categories;
        catid = categories.length;
        categories.push(Category(name, description, workClockTimeRef));
        emit CategoryCreated(catid, name, description, workClockTimeRef);
    }
}
