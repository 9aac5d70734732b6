// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ICategories} from "../interfaces/ICategories.sol";
import {Category} from "../libs/Types.sol";

/// @title Categories
/// @notice Owner-managed compute categories, born with PoCo's five: XS 300 s … XL 36,000 s.
abstract contract Categories is ICategories, Ownable {
    Category[] private _categories;

    constructor() {
        _addCategory("XS", "5 min of compute per task, 50 min per deal", 300);
        _addCategory("S", "20 min of compute per task, 200 min per deal", 1200);
        _addCategory("M", "1 h of compute per task, 10 h per deal", 3600);
        _addCategory("L", "3 h of compute per task, 30 h per deal", 10800);
        _addCategory("XL", "10 h of compute per task, 100 h per deal", 36000);
    }

    /// @inheritdoc ICategories
    function createCategory(string calldata name, string calldata description, uint256 workClockTimeRef)
        external
        onlyOwner
        returns (uint256)
    {
        return _addCategory(name, description, workClockTimeRef);
    }

    /// @inheritdoc ICategories
    function viewCategory(uint256 catid) external view returns (Category memory) {
        _checkCategory(catid);
        return _categories[catid];
    }

    /// @inheritdoc ICategories
    function countCategory() external view returns (uint256) {
        return _categories.length;
    }

    /// @dev The work-clock time reference of an existing category.
    function _timeref(uint256 catid) internal view returns (uint256) {
        _checkCategory(catid);
        return _categories[catid].workClockTimeRef;
    }

    function _checkCategory(uint256 catid) private view {
        if (catid >= _categories.length) revert CategoryUnknown(catid, _categories.length);
    }

    function _addCategory(string memory name, string memory description, uint256 workClockTimeRef)
        private
        returns (uint256 catid)
    {
        if (workClockTimeRef == 0 || workClockTimeRef > type(uint24).max) {
            revert CategoryInvalidTimeRef(workClockTimeRef);
        }
        catid = _categories.length;
        _categories.push(Category(name, description, workClockTimeRef));
        emit CategoryCreated(catid, name, description, workClockTimeRef);
    }
}
